package io.iotgateway.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Dockerfile's promises (no Docker engine is needed): a cached dependency layer, Boot's layers on a JRE, a fixed
 * non-root user, the JVM as PID 1; and a lint by {@code dockerfile-utils} (npm) where it is installed.
 */
class DockerfileTests {

    private static final Path DOCKERFILE = Path.of("Dockerfile");

    /** Where the linter is, when not on the PATH: the path of its {@code dockerfile-utils} executable. */
    private static final String LINTER_VARIABLE = "DOCKERFILE_UTILS";

    @Test
    void buildsWithTheWrapperOnAJdkAndCachesDependenciesBeforeTheSources() throws IOException {
        List<Instruction> build = stages().getFirst();

        assertThat(build.getFirst().arguments()).isEqualTo("${BUILD_IMAGE} AS build");
        assertThat(argDefault("BUILD_IMAGE")).startsWith("eclipse-temurin:25-jdk");
        int offline = indexOf(build, "RUN", "./mvnw --batch-mode --no-transfer-progress dependency:go-offline");
        int sources = indexOf(build, "COPY", "src/main/ src/main/");
        assertThat(offline).as("dependency layer").isPositive().isLessThan(sources);
        assertThat(build.subList(0, offline)).filteredOn(instruction -> instruction.is("COPY"))
            .extracting(Instruction::arguments)
            .containsExactly("mvnw pom.xml ./", ".mvn/ .mvn/");
        assertThat(build.get(sources + 1).arguments()).contains("package")
            .contains("java -Djarmode=tools -jar application.jar extract --layers --destination extracted");
    }

    @Test
    void runsBootsLayersOnAJreAsAFixedNonRootUserWithTheJvmAsPidOne() throws IOException {
        List<Instruction> run = stages().getLast();

        assertThat(run.getFirst().arguments()).isEqualTo("${RUNTIME_IMAGE}");
        assertThat(argDefault("RUNTIME_IMAGE")).startsWith("eclipse-temurin:25-jre");
        assertThat(run).filteredOn(instruction -> instruction.is("COPY")).extracting(Instruction::arguments)
            .containsExactly("--from=build /build/extracted/dependencies/ ./",
                    "--from=build /build/extracted/spring-boot-loader/ ./",
                    "--from=build /build/extracted/snapshot-dependencies/ ./",
                    "--from=build /build/extracted/application/ ./");
        assertThat(last(run, "USER")).isEqualTo("${APP_UID}:${APP_UID}");
        assertThat(last(run, "ARG")).isEqualTo("APP_UID=10001");
        assertThat(last(run, "ENTRYPOINT")).isEqualTo("[\"java\", \"-jar\", \"application.jar\"]");
        assertThat(last(run, "EXPOSE")).isEqualTo("8080");
        assertThat(last(run, "VOLUME")).isEqualTo("[\"/data\"]");
        assertThat(run).filteredOn(instruction -> instruction.is("ENV")).extracting(Instruction::arguments)
            .containsExactly("GATEWAY_DATA_DIR=/data", "SERVER_ADDRESS=0.0.0.0",
                    "JDK_JAVA_OPTIONS=\"-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError\"");
        assertThat(last(run, "HEALTHCHECK")).contains("/dev/tcp/127.0.0.1/8080")
            .contains("GET /actuator/health/readiness");
    }

    @Test
    void buildContextHoldsOnlyWhatTheBuildNeeds() throws IOException {
        List<String> patterns = Files.readAllLines(Path.of(".dockerignore")).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .toList();

        // everything is left out, then the build's inputs are let back in: no target/, .git, tests or local files
        assertThat(patterns).containsExactly("*", "!mvnw", "!pom.xml", "!.mvn/wrapper/maven-wrapper.properties",
                "!src/main/");
    }

    @Test
    void dockerfileUtilsFindsNothingToReport() throws IOException, InterruptedException {
        Path linter = linter();
        assumeTrue(linter != null, () -> "Skipped: dockerfile-utils is not installed (npm install --global "
                + "dockerfile-utils@0.16.3, or set " + LINTER_VARIABLE + " to its executable)");

        Process process = new ProcessBuilder(linter.toString(), "lint", "--json", DOCKERFILE.toString())
            .redirectErrorStream(true)
            .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("dockerfile-utils finished").isTrue();
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        // warnings included: --json lists every problem, whatever its severity
        assertThat(report).as("dockerfile-utils lint --json Dockerfile").isEqualTo("[]");
        assertThat(process.exitValue()).isZero();
    }

    private static @Nullable Path linter() {
        String configured = System.getenv(LINTER_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String path = System.getenv("PATH");
        return (path == null) ? null : Stream.of(path.split(File.pathSeparator))
            .map(directory -> Path.of(directory, "dockerfile-utils"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    }

    /** The instructions of each build stage, with continuation lines joined; global ARGs are left out. */
    private static List<List<Instruction>> stages() throws IOException {
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction instruction : instructions()) {
            if (instruction.is("FROM")) {
                stages.add(new ArrayList<>());
            }
            if (!stages.isEmpty()) {
                stages.getLast().add(instruction);
            }
        }
        assertThat(stages).as("build stages").hasSize(2);
        return stages;
    }

    private static List<Instruction> instructions() throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1).strip() + " " : trimmed);
            if (!continued) {
                String[] parts = current.toString().split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), (parts.length > 1) ? parts[1] : ""));
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static String argDefault(String name) throws IOException {
        return instructions().stream()
            .filter(instruction -> instruction.is("ARG") && instruction.arguments().startsWith(name + "="))
            .map(instruction -> instruction.arguments().substring(name.length() + 1))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ARG " + name + " with a default"));
    }

    private static int indexOf(List<Instruction> stage, String keyword, String arguments) {
        return stage.indexOf(new Instruction(keyword, arguments));
    }

    private static String last(List<Instruction> stage, String keyword) {
        return stage.reversed().stream()
            .filter(instruction -> instruction.is(keyword))
            .map(Instruction::arguments)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + keyword + " in the stage"));
    }

    private record Instruction(String keyword, String arguments) {

        boolean is(String keyword) {
            return this.keyword.equals(keyword);
        }
    }
}
