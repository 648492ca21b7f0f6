{{/* The IncidentPlatform's name: .Values.name or the release name. */}}
{{- define "incident-platform.name" -}}
{{- default .Release.Name .Values.name -}}
{{- end -}}

{{/* <chart>-<version>, for the helm.sh/chart label. */}}
{{- define "incident-platform.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Standard labels of the custom resource. */}}
{{- define "incident-platform.labels" -}}
helm.sh/chart: {{ include "incident-platform.chart" . }}
app.kubernetes.io/name: incident-platform
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
