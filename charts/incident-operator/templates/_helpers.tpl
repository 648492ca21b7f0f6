{{/* The chart name, or nameOverride. */}}
{{- define "incident-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The prefix of every object name: fullnameOverride, or <release>-<name>, or just
<release> when it already contains the name. At most 63 characters.
*/}}
{{- define "incident-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <chart>-<version>, for the helm.sh/chart label. */}}
{{- define "incident-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The immutable labels that select the operator's pods. */}}
{{- define "incident-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "incident-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Every standard label. */}}
{{- define "incident-operator.labels" -}}
helm.sh/chart: {{ include "incident-operator.chart" . }}
{{ include "incident-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: incident-platform
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "incident-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "incident-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is set. */}}
{{- define "incident-operator.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
RBAC rules for the namespaced objects the operator manages: the
IncidentPlatforms, the children it creates, the Events it records, and the
read access that the Roles it creates grant (Kubernetes only lets it grant
what it holds itself). `incident-operator rbac` prints the operator's own
rules; Tests/python/test_chart_operator.py keeps these equal to them (leases
apart: a namespaced Role) plus the read access of the generated Roles.
*/}}
{{- define "incident-operator.namespacedRules" -}}
- apiGroups: ["incidentops.io"]
  resources: ["incidentplatforms"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["incidentops.io"]
  resources: ["incidentplatforms/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["incidentops.io"]
  resources: ["incidentplatforms/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["configmaps", "persistentvolumeclaims", "secrets", "serviceaccounts", "services"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["apps"]
  resources: ["daemonsets", "deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["rolebindings", "roles"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: [""]
  resources: ["endpoints", "pods"]
  verbs: ["get", "list", "watch"]
{{- end -}}

{{/*
RBAC rules for the cluster-scoped children (promtail's and Prometheus'
ClusterRoles and ClusterRoleBindings) and what those ClusterRoles grant.
*/}}
{{- define "incident-operator.clusterRules" -}}
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterrolebindings", "clusterroles"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["nodes", "pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["nodes/proxy"]
  verbs: ["get"]
{{- end -}}
