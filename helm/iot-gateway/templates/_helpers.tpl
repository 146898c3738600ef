{{/* Chart name, at most 63 characters (a DNS label). */}}
{{- define "iot-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name: the release name, plus the chart name unless the release name contains it. */}}
{{- define "iot-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "iot-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "iot-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "iot-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "iot-gateway.labels" -}}
helm.sh/chart: {{ include "iot-gateway.chart" . }}
{{ include "iot-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "iot-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "iot-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret the pod reads its secrets from: the operator's existingSecret or the one this chart renders. */}}
{{- define "iot-gateway.secretName" -}}
{{- default (include "iot-gateway.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "iot-gateway.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "iot-gateway.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- add .Values.shutdown.preStopSleepSeconds .Values.shutdown.timeoutSeconds 10 }}
{{- else }}
{{- .Values.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{/*
Refuses values that would give a broken or dangerous deployment. Included by the Deployment, so that
`helm template`, `helm install` and `helm lint` all fail with the reason.
*/}}
{{- define "iot-gateway.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.allowMultipleReplicas) }}
{{- fail (printf "replicaCount is %d, but the IoT Platform allows one MQTT connection per device: gateway replicas publishing for the same devices log each other out (kicks) over and over. Keep replicaCount 1 (install one release per group of devices to spread them), or set allowMultipleReplicas=true to accept the kicks." (int .Values.replicaCount)) }}
{{- end }}
{{- if and .Values.existingSecret (or .Values.devices .Values.registry.masterKey .Values.security.clients .Values.extraSecretEnv) }}
{{- fail (printf "existingSecret %q is set, so the chart renders no Secret: put the devices, registry.masterKey, security.clients and extraSecretEnv into that Secret instead of the values." .Values.existingSecret) }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable)) (not (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable)) }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (set the other to null)." }}
{{- end }}
{{- end }}
