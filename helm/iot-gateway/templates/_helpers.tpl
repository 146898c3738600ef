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

{{/* The headless Service the cluster members find each other through; its name leaves room for "-cluster". */}}
{{- define "iot-gateway.clusterServiceName" -}}
{{- printf "%s-cluster" (include "iot-gateway.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{/* Its DNS name, GATEWAY_CLUSTER_KUBERNETES_SERVICE_DNS: Hazelcast's Kubernetes discovery looks it up. */}}
{{- define "iot-gateway.clusterServiceDns" -}}
{{- printf "%s.%s.svc.%s" (include "iot-gateway.clusterServiceName" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* Recreate for one gateway; in cluster mode one replica at a time, never one more than replicaCount. */}}
{{- define "iot-gateway.updateStrategy" -}}
{{- if .Values.updateStrategy }}
{{- toYaml .Values.updateStrategy }}
{{- else if .Values.cluster.enabled }}
type: RollingUpdate
rollingUpdate:
  maxUnavailable: 1
  maxSurge: 0
{{- else }}
type: Recreate
{{- end }}
{{- end }}

{{- define "iot-gateway.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- $handOver := ternary .Values.cluster.handOverSeconds 0 .Values.cluster.enabled }}
{{- add .Values.shutdown.preStopSleepSeconds $handOver .Values.shutdown.timeoutSeconds 10 }}
{{- else }}
{{- .Values.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{/*
Refuses values that would give a broken or dangerous deployment. Included by the Deployment, so that
`helm template`, `helm install` and `helm lint` all fail with the reason.
*/}}
{{- define "iot-gateway.validate" -}}
{{- if .Values.allowMultipleReplicas }}
{{- fail "allowMultipleReplicas is gone: it ran replicas that logged each other out (kicks). Set cluster.enabled=true instead, so that the replicas share the devices out with one owner each (docs/operations.md), and remove allowMultipleReplicas." }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.cluster.enabled) }}
{{- fail (printf "replicaCount is %d, but the IoT Platform allows one MQTT connection per device: gateway replicas outside a cluster publish for the same devices and log each other out (kicks) over and over. Set cluster.enabled=true (the replicas then share the devices out, one owner each; it needs database.url and a master key from a Secret, docs/operations.md), or keep replicaCount 1." (int .Values.replicaCount)) }}
{{- end }}
{{- if .Values.cluster.enabled }}
{{- if not (hasPrefix "jdbc:postgresql:" .Values.database.url) }}
{{- fail "cluster.enabled needs a registry database that every replica shares: set database.url to a PostgreSQL database (jdbc:postgresql://host:5432/name, no password in it), database.username, and the password (database.passwordSecret, or SPRING_DATASOURCE_PASSWORD in existingSecret or extraSecretEnv). The default registry, an H2 file in the data directory, would be a different one in every pod." }}
{{- end }}
{{- $keyFromEnv := false }}
{{- range .Values.extraEnv }}
{{- if has .name (list "GATEWAY_REGISTRY_MASTER_KEY" "GATEWAY_REGISTRY_MASTER_KEY_FILE") }}
{{- $keyFromEnv = true }}
{{- end }}
{{- end }}
{{- if not (or .Values.registry.masterKey .Values.existingSecret (hasKey .Values.extraSecretEnv "GATEWAY_REGISTRY_MASTER_KEY") $keyFromEnv) }}
{{- fail "cluster.enabled needs the registry's master key from a Secret, the same on every replica: set registry.masterKey, put GATEWAY_REGISTRY_MASTER_KEY into existingSecret, or name it in extraEnv (valueFrom secretKeyRef). A key generated into each pod's data directory would differ from replica to replica." }}
{{- end }}
{{- if .Values.persistence.enabled }}
{{- fail "cluster.enabled and persistence.enabled: in cluster mode the registry is in PostgreSQL and the master key in a Secret, so the data directory keeps nothing that must survive a restart, and one claim cannot be shared: a ReadWriteOnce volume attaches to one node, and a data directory serves one gateway process. Set persistence.enabled=false (each pod gets an emptyDir)." }}
{{- end }}
{{- end }}
{{- range $value, $name := dict "url" "SPRING_DATASOURCE_URL" "username" "SPRING_DATASOURCE_USERNAME" }}
{{- if and (index $.Values.database $value) (hasKey $.Values.gateway.extraConfig $name) }}
{{- fail (printf "database.%s is set, so the chart renders %s: remove %s from gateway.extraConfig." $value $name $name) }}
{{- end }}
{{- end }}
{{- if and .Values.database.passwordSecret.name (hasKey .Values.extraSecretEnv "SPRING_DATASOURCE_PASSWORD") }}
{{- fail "database.passwordSecret is set, so the password comes from that Secret: remove SPRING_DATASOURCE_PASSWORD from extraSecretEnv." }}
{{- end }}
{{- if and .Values.existingSecret (or .Values.devices .Values.registry.masterKey .Values.security.clients .Values.extraSecretEnv) }}
{{- fail (printf "existingSecret %q is set, so the chart renders no Secret: put the devices, registry.masterKey, security.clients and extraSecretEnv into that Secret instead of the values." .Values.existingSecret) }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable)) (not (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable)) }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (set the other to null)." }}
{{- end }}
{{- end }}
