"""Shared helpers of the delivery tests (charts, manifests, Argo CD, Dockerfile)."""
