package io.iotgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The rules of a test broker: its users, its ACL and the {@code mosquitto.conf} around them. Immutable; each
 * {@code with…} method returns a copy. {@link MosquittoBroker} and {@link MosquittoContainerSupport} both render
 * their files from it, so a local process and a container enforce the same rules.
 */
public final class MosquittoConfig {

    private static final Set<String> ACCESS_TYPES = Set.of("read", "write", "readwrite", "deny");

    private final List<User> users;

    private final List<AclRule> aclRules;

    private final boolean anonymous;

    private final boolean persistent;

    private final @Nullable Tls tls;

    private final boolean debugLog;

    private MosquittoConfig(List<User> users, List<AclRule> aclRules) {
        this(users, aclRules, false, false);
    }

    private MosquittoConfig(List<User> users, List<AclRule> aclRules, boolean anonymous, boolean persistent) {
        this(users, aclRules, anonymous, persistent, null, false);
    }

    private MosquittoConfig(List<User> users, List<AclRule> aclRules, boolean anonymous, boolean persistent,
            @Nullable Tls tls, boolean debugLog) {
        this.users = List.copyOf(users);
        this.aclRules = List.copyOf(aclRules);
        this.anonymous = anonymous;
        this.persistent = persistent;
        this.tls = tls;
        this.debugLog = debugLog;
    }

    /**
     * Makes the listener TLS only, with this server certificate and key (PEM files the user {@code mosquitto} can
     * read, e.g. from {@link TestCertificates}); clients connect to {@code ssl://localhost:<port>}.
     */
    public MosquittoConfig withTls(Path certFile, Path keyFile) {
        return new MosquittoConfig(this.users, this.aclRules, this.anonymous, this.persistent,
                new Tls(certFile, keyFile), this.debugLog);
    }

    public @Nullable Tls tls() {
        return this.tls;
    }

    /**
     * Keeps sessions, subscriptions and queued messages across a {@link MosquittoBroker#stop()} and
     * {@link MosquittoBroker#restart()}, so a subscriber with a persistent session misses nothing while the
     * broker is down.
     */
    public MosquittoConfig withPersistence() {
        return new MosquittoConfig(this.users, this.aclRules, this.anonymous, true, this.tls, this.debugLog);
    }

    public boolean persistent() {
        return this.persistent;
    }

    /**
     * Adds mosquitto's debug log: every packet in and out, such as {@code Received PINGREQ from <client id>}, to
     * see on the wire what a client sends (keep-alive pings) and when.
     */
    public MosquittoConfig withDebugLog() {
        return new MosquittoConfig(this.users, this.aclRules, this.anonymous, this.persistent, this.tls, true);
    }

    public boolean debugLog() {
        return this.debugLog;
    }

    /**
     * A broker that lets every client in, whatever its credentials: for tests whose gateway signs with the real
     * clock (a separate process), where no password file can know the password in advance.
     */
    public static MosquittoConfig anonymous() {
        return new MosquittoConfig(List.of(), List.of(), true, false);
    }

    /** A config with no users, so every connection is refused. */
    public static MosquittoConfig empty() {
        return new MosquittoConfig(List.of(), List.of());
    }

    /**
     * Adds a user. Any characters other than {@code :}, whitespace and line breaks are fine in the username,
     * including Alibaba's {@code deviceName&productKey}.
     */
    public MosquittoConfig withUser(String username, String password) {
        requireNoLineBreak(password, "password");
        if (username.isEmpty() || username.contains(":") || username.chars().anyMatch(Character::isWhitespace)) {
            // the password file is "username:hash" per line, and the ACL's "user" line ends at whitespace
            throw new IllegalArgumentException("Username must be non-empty without ':' or whitespace: " + username);
        }
        if (users.stream().anyMatch((user) -> user.username().equals(username))) {
            throw new IllegalArgumentException("Duplicate user " + username);
        }
        List<User> more = new ArrayList<>(users);
        more.add(new User(username, password));
        return new MosquittoConfig(more, aclRules, this.anonymous, this.persistent, this.tls, this.debugLog);
    }

    /**
     * Adds the ACL line {@code topic <access> <topicPattern>} for a user.
     * @param access {@code read}, {@code write}, {@code readwrite} or {@code deny}
     * @param topicPattern a topic filter; {@code +} and {@code #} are wildcards
     */
    public MosquittoConfig aclFor(String username, String access, String topicPattern) {
        if (!ACCESS_TYPES.contains(access)) {
            throw new IllegalArgumentException("Access must be one of " + ACCESS_TYPES + ": " + access);
        }
        requireNoLineBreak(topicPattern, "topicPattern");
        if (topicPattern.isBlank()) {
            throw new IllegalArgumentException("Empty topic pattern");
        }
        List<AclRule> more = new ArrayList<>(aclRules);
        more.add(new AclRule(username, access, topicPattern));
        return new MosquittoConfig(users, more, this.anonymous, this.persistent, this.tls, this.debugLog);
    }

    public List<User> users() {
        return users;
    }

    public List<AclRule> aclRules() {
        return aclRules;
    }

    /**
     * Renders {@code mosquitto.conf}. Logs go to stderr, which mosquitto does not buffer (stdout it does).
     * @param bindAddress the listener's address, or {@code null} for all interfaces (inside a container)
     */
    public String mosquittoConf(int port, @Nullable String bindAddress, String passwordFile, String aclFile) {
        String listener = (bindAddress != null) ? "listener " + port + " " + bindAddress : "listener " + port;
        String tlsFiles = (this.tls != null)
                ? "certfile " + this.tls.certFile() + "\nkeyfile " + this.tls.keyFile() : "";
        return String.join("\n", "# Generated by " + getClass().getName() + " for tests.", listener, tlsFiles,
                this.anonymous ? "allow_anonymous true" : "allow_anonymous false",
                this.anonymous ? "" : "password_file " + passwordFile, this.anonymous ? "" : "acl_file " + aclFile,
                this.persistent ? "persistence true" : "persistence false",
                this.persistent ? "persistence_location " + Path.of(passwordFile).resolveSibling("persist") + "/" : "",
                // a persistent subscriber that is reconnecting still gets the QoS 0 messages meanwhile
                this.persistent ? "queue_qos0_messages true" : "",
                "log_dest stderr", "log_type error", "log_type warning", "log_type notice", "log_type information",
                this.debugLog ? "log_type debug" : "",
                "connection_messages true", "log_timestamp_format %Y-%m-%dT%H:%M:%S",
                "# a subscriber that collects every device's messages must not lose any in a burst",
                "max_inflight_messages 100", "max_queued_messages 100000", "set_tcp_nodelay true", "");
    }

    /** Renders the ACL file: one {@code user} block per username, rules in the order they were added. */
    public String aclFileText() {
        Map<String, List<AclRule>> byUser = new LinkedHashMap<>();
        aclRules.forEach((rule) -> byUser.computeIfAbsent(rule.username(), (name) -> new ArrayList<>()).add(rule));
        StringBuilder acl = new StringBuilder();
        byUser.forEach((username, rules) -> {
            acl.append("user ").append(username).append('\n');
            rules.forEach((rule) -> acl.append("topic ")
                .append(rule.access())
                .append(' ')
                .append(rule.topicPattern())
                .append('\n'));
            acl.append('\n');
        });
        return acl.toString();
    }

    /**
     * Renders the password file, hashed by the host's {@code mosquitto_passwd -U} (one run for all users).
     * @throws IllegalStateException if {@code mosquitto_passwd} is not installed or fails
     */
    public String passwordFileText() {
        if (users.isEmpty()) {
            return "";
        }
        Path tool = passwdTool()
            .orElseThrow(() -> new IllegalStateException("mosquitto_passwd is not installed (Debian: mosquitto)"));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mosquitto-passwd-");
            Path file = dir.resolve("passwd");
            StringBuilder plain = new StringBuilder();
            users.forEach((user) -> plain.append(user.username()).append(':').append(user.password()).append('\n'));
            Files.writeString(file, plain);
            Process process = new ProcessBuilder(tool.toString(), "-U", file.toString()).redirectErrorStream(true)
                .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("mosquitto_passwd -U failed: " + output);
            }
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        finally {
            deleteRecursively(dir);
        }
    }

    /** Whether the host can hash passwords, which both the local broker and the container need. */
    public static boolean isPasswdToolInstalled() {
        return passwdTool().isPresent();
    }

    static Optional<Path> passwdTool() {
        return findExecutable("mosquitto_passwd");
    }

    /** Looks on the PATH, then in the Debian locations, which a non-login PATH may lack ({@code /usr/sbin}). */
    static Optional<Path> findExecutable(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream
            .concat(Stream.of(path.split(java.io.File.pathSeparator)).filter((dir) -> !dir.isBlank()),
                    Stream.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"))
            .map((dir) -> Path.of(dir, name))
            .filter(Files::isExecutable)
            .findFirst();
    }

    static void deleteRecursively(@Nullable Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            // best effort: a leftover temp dir must not fail a test
        }
    }

    private static void requireNoLineBreak(String value, String what) {
        if (value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException(what + " must not contain a line break");
        }
    }

    /** A broker user; the password is kept in plain text only until it is hashed into the password file. */
    public record User(String username, String password) {

        @Override
        public String toString() {
            return "User[" + username + "]";
        }

    }

    /** A TLS listener's server certificate and private key, PEM files. */
    public record Tls(Path certFile, Path keyFile) {
    }

    /** One ACL line, {@code topic <access> <topicPattern>}, in the block of {@code username}. */
    public record AclRule(String username, String access, String topicPattern) {
    }

}
