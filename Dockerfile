# syntax=docker/dockerfile:1
#
# iot-gateway container image: builds with the Maven wrapper on a Temurin 25 JDK, runs Spring Boot's extracted
# (layered) jar on a Temurin 25 JRE as a fixed non-root user. Build and run: docs/operations.md.
#
#   docker build -t iot-gateway:0.1.0 .
#
# The base images are tags, not digests: pin them (FROM image@sha256:...) in your registry's build for
# reproducible images, or pass --build-arg BUILD_IMAGE=... --build-arg RUNTIME_IMAGE=....

ARG BUILD_IMAGE=eclipse-temurin:25-jdk-noble
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-noble

FROM ${BUILD_IMAGE} AS build
WORKDIR /build

# Dependency layer: changes only when pom.xml or the wrapper changes, so code changes rebuild from here on.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw --batch-mode --no-transfer-progress dependency:go-offline

COPY src/main/ src/main/
# Tests need a broker and run in CI, not in the image build (src/test is not in the build context).
RUN ./mvnw --batch-mode --no-transfer-progress -Dmaven.test.skip=true package \
    && cp target/iot-gateway-*.jar application.jar \
    && java -Djarmode=tools -jar application.jar extract --layers --destination extracted


FROM ${RUNTIME_IMAGE}

# A fixed uid/gid so Kubernetes' runAsUser/fsGroup and volume permissions can name them.
ARG APP_UID=10001
RUN groupadd --system --gid "${APP_UID}" gateway \
    && useradd --system --uid "${APP_UID}" --gid gateway --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin gateway \
    && mkdir /data \
    && chown gateway:gateway /data

WORKDIR /application
# Least to most often changed, so a code change only replaces the last layer.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# The application files stay owned by root and read-only for the gateway: the root filesystem can be mounted
# read-only. The gateway writes only to /data (its data directory) and /tmp (Tomcat's work directory).
VOLUME ["/data"]
ENV GATEWAY_DATA_DIR=/data
# All interfaces: a container's loopback is unreachable from outside it, and Kubernetes probes the pod address.
# Without API clients the gateway is an open sandbox, bound to loopback unless an address is set (this one); it
# warns at start. Publish it on the host's loopback only (docker run -p 127.0.0.1:8080:8080), or configure clients.
ENV SERVER_ADDRESS=0.0.0.0
# Heap as a share of the container's memory limit; die on OutOfMemoryError so the orchestrator restarts a clean
# JVM. Read by the java launcher only; replace the whole variable to change it (e.g. docker run -e).
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

USER ${APP_UID}:${APP_UID}
EXPOSE 8080

# The JRE image has no curl or wget; bash's /dev/tcp asks the readiness group without starting a second JVM.
# Kubernetes ignores HEALTHCHECK: the Helm chart uses the liveness, readiness and startup probes instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# Exec form: the JVM is PID 1 and gets SIGTERM itself, so the graceful shutdown runs.
ENTRYPOINT ["java", "-jar", "application.jar"]
