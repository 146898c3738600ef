package io.iotgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and a server certificate it issued, made by {@code openssl} in a temp dir that the unprivileged
 * {@code mosquitto} user can read. Valid for two days; nothing of it is kept.
 *
 * @param dir where the files are
 * @param caCert the CA certificate (PEM): what a client must trust
 * @param serverCert the server certificate (PEM), for {@code DNS:localhost} only
 * @param serverKey the server's private key (PEM)
 */
public record TestCertificates(Path dir, Path caCert, Path serverCert, Path serverKey) implements AutoCloseable {

    /** Issues a CA named {@code caName} and a certificate for {@code localhost} signed by it. */
    public static TestCertificates issue(String caName) {
        try {
            Path dir = Files.createTempDirectory("test-ca-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path ext = dir.resolve("server.ext");
            Files.writeString(ext, "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n"
                    + "basicConstraints=critical,CA:FALSE\n");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                    "-days", "2", "-subj", "/CN=" + caName, "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=localhost");
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    // test material only: the broker runs as another user and must read the key
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
            return new TestCertificates(dir, dir.resolve("ca.pem"), dir.resolve("server.pem"),
                    dir.resolve("server.key"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Whether {@code openssl} can be run. */
    public static boolean isOpensslInstalled() {
        return MosquittoConfig.findExecutable("openssl").isPresent();
    }

    @Override
    public void close() {
        MosquittoConfig.deleteRecursively(this.dir);
    }

    private static void openssl(Path dir, String... args) throws IOException {
        Path openssl = MosquittoConfig.findExecutable("openssl")
            .orElseThrow(() -> new IllegalStateException("openssl is not installed"));
        List<String> command = new ArrayList<>(List.of(openssl.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
