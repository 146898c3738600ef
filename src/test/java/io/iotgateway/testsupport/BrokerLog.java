package io.iotgateway.testsupport;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The logins, closes and kicks in a mosquitto log ({@link MosquittoBroker#log()}, written with
 * {@code connection_messages true}), mapped to the devices they belong to. A device login is one whose username is
 * Alibaba's {@code deviceName&productKey} (the client id {@code productKey.deviceName|securemode=...|} tells it
 * otherwise); other clients (a test subscriber, {@link PlatformKicks}) are not devices.
 * <p>
 * Two counts matter, and they differ on mosquitto: the platform allows one connection per device and kicks the
 * older of two logins of a device, whatever their client ids; mosquitto kicks only a second login with the same
 * client id, and the gateway signs every login with a fresh timestamp in its client id. So
 * {@link #doubleLogins()} lists every device login made while another login of the same device was still open (what
 * the platform would answer with a kick), and {@link #kicks()} the connections mosquitto did close for a newer one
 * with their client id (what the gateway sees as a kick; with {@link PlatformKicks} running, one per double login).
 * <p>
 * Positions are line numbers: {@link #lineCount()} now, and the {@code …Since(line)} methods count what came later,
 * for "nothing more after this point". A last line still being written is left for the next read.
 */
public final class BrokerLog {

    private static final Pattern TIMESTAMP = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}): ");

    private static final Pattern LOGIN = Pattern
        .compile("^New client connected from (\\S+) as (\\S+) \\((.*?)(?:, u'(.*)')?\\)\\.$");

    private static final Pattern KICK = Pattern.compile("^Client (\\S+) already connected, closing old connection\\.$");

    private static final Pattern CLOSE = Pattern.compile(
            "^(?:Client (\\S+) (?:disconnected|closed its connection|has exceeded timeout)|Socket error on client (\\S+),"
                    + "|Bad socket read/write on client (\\S+):|Client (\\S+) has been disconnected)");

    private static final Pattern DEVICE_CLIENT_ID = Pattern.compile("^([A-Za-z0-9]+)\\.([^|]+)\\|");

    private final List<Login> logins;

    private final List<Kick> kicks;

    private final List<DoubleLogin> doubleLogins;

    private final Map<String, Login> openSessions;

    private final int lineCount;

    private BrokerLog(List<Login> logins, List<Kick> kicks, List<DoubleLogin> doubleLogins,
            Map<String, Login> openSessions, int lineCount) {
        this.logins = List.copyOf(logins);
        this.kicks = List.copyOf(kicks);
        this.doubleLogins = List.copyOf(doubleLogins);
        this.openSessions = Map.copyOf(openSessions);
        this.lineCount = lineCount;
    }

    /** The broker's log as it is now. */
    public static BrokerLog of(MosquittoBroker broker) {
        return parse(broker.log());
    }

    /** Reads a mosquitto log; a last line without its line break is left out (mosquitto is still writing it). */
    public static BrokerLog parse(String text) {
        String[] lines = text.split("\n", -1);
        // the element after the last '\n' is empty for a complete log, or a line still being written
        int complete = lines.length - 1;
        Parser parser = new Parser();
        for (int i = 0; i < complete; i++) {
            parser.line(i, lines[i]);
        }
        parser.finish();
        return new BrokerLog(parser.logins, parser.kicks, parser.doubleLogins, parser.open, complete);
    }

    /** The number of complete lines read: a position for the {@code …Since} methods. */
    public int lineCount() {
        return this.lineCount;
    }

    /** Every device login, in order. */
    public List<Login> logins() {
        return this.logins;
    }

    /** The device logins at or after {@code line}. */
    public List<Login> loginsSince(int line) {
        return this.logins.stream().filter((login) -> login.line() >= line).toList();
    }

    /** Device ({@code productKey/deviceName}) to its number of logins, sorted by device. */
    public Map<String, Integer> loginsByDevice() {
        return countByDevice(this.logins, Login::device);
    }

    /** Every device connection mosquitto closed because a client logged in with its client id. */
    public List<Kick> kicks() {
        return this.kicks;
    }

    public List<Kick> kicksSince(int line) {
        return this.kicks.stream().filter((kick) -> kick.line() >= line).toList();
    }

    /** Device to its number of {@link #kicks()}. */
    public Map<String, Integer> kicksByDevice() {
        return countByDevice(this.kicks, Kick::device);
    }

    /** Every device login made while another login of the same device was open, in order. */
    public List<DoubleLogin> doubleLogins() {
        return this.doubleLogins;
    }

    public List<DoubleLogin> doubleLoginsSince(int line) {
        return this.doubleLogins.stream().filter((login) -> login.line() >= line).toList();
    }

    /** Device to its number of {@link #doubleLogins()}: the kicks the platform would have made. */
    public Map<String, Integer> doubleLoginsByDevice() {
        return countByDevice(this.doubleLogins, DoubleLogin::device);
    }

    /** Device to its number of double logins at or after {@code line}. */
    public Map<String, Integer> doubleLoginsByDeviceSince(int line) {
        return countByDevice(doubleLoginsSince(line), DoubleLogin::device);
    }

    /** The device logins still open at the end of the log, by device, oldest first. */
    public Map<String, List<Login>> openLoginsByDevice() {
        Map<String, List<Login>> byDevice = new TreeMap<>();
        this.openSessions.values()
            .stream()
            .filter((login) -> login.device() != null)
            .sorted(Comparator.comparingInt(Login::line))
            .forEach((login) -> byDevice.computeIfAbsent(login.device(), (device) -> new ArrayList<>()).add(login));
        return byDevice;
    }

    /** Whether a client with this client id is connected at the end of the log. */
    public boolean isOpen(String clientId) {
        return this.openSessions.containsKey(clientId);
    }

    @Override
    public String toString() {
        return "BrokerLog[" + this.lineCount + " lines, " + this.logins.size() + " device logins, " + this.kicks.size()
                + " kicks, " + this.doubleLogins.size() + " double logins, " + this.openSessions.size() + " open]";
    }

    /** The device a client is, from its username {@code deviceName&productKey} or else its client id. */
    static @Nullable String deviceOf(String clientId, @Nullable String username) {
        if (username != null) {
            int ampersand = username.lastIndexOf('&');
            return (ampersand > 0 && ampersand < username.length() - 1)
                    ? username.substring(ampersand + 1) + "/" + username.substring(0, ampersand) : null;
        }
        Matcher cid = DEVICE_CLIENT_ID.matcher(clientId);
        return cid.find() ? cid.group(1) + "/" + cid.group(2) : null;
    }

    private static <T> Map<String, Integer> countByDevice(List<T> events, Function<T, @Nullable String> device) {
        Map<String, Integer> counts = new TreeMap<>();
        events.forEach((event) -> {
            String name = device.apply(event);
            if (name != null) {
                counts.merge(name, 1, Integer::sum);
            }
        });
        return counts;
    }

    /**
     * One login.
     * @param line its line number in the log
     * @param time mosquitto's timestamp (to the second), or {@code null} in a log without timestamps
     * @param device {@code productKey/deviceName}, or {@code null} for a client that is not a device
     */
    public record Login(int line, @Nullable LocalDateTime time, String clientId, @Nullable String username,
            @Nullable String device) {
    }

    /**
     * A device connection mosquitto closed for a newer login with its client id.
     * @param byDevice whether the newer login is the same device's (a re-login with the same id) rather than
     * another client's, such as {@link PlatformKicks}
     */
    public record Kick(int line, @Nullable LocalDateTime time, String device, String clientId, boolean byDevice) {
    }

    /** A device login made while {@code openClientIds}, logins of the same device, were open. */
    public record DoubleLogin(int line, @Nullable LocalDateTime time, String device, String clientId,
            List<String> openClientIds) {
    }

    /** Reads the lines in order, keeping the open connections by client id as mosquitto does. */
    private static final class Parser {

        private final List<Login> logins = new ArrayList<>();

        private final List<Kick> kicks = new ArrayList<>();

        private final List<DoubleLogin> doubleLogins = new ArrayList<>();

        private final Map<String, Login> open = new LinkedHashMap<>();

        // mosquitto logs the kick of the old connection just before the login that causes it
        private final Map<String, PendingKick> pendingKicks = new HashMap<>();

        void line(int number, String raw) {
            Matcher timestamp = TIMESTAMP.matcher(raw);
            LocalDateTime time = null;
            String message = raw;
            if (timestamp.find()) {
                time = parseTime(timestamp.group(1));
                message = raw.substring(timestamp.end());
            }
            Matcher login = LOGIN.matcher(message);
            if (login.matches()) {
                login(new Login(number, time, login.group(2), login.group(4), deviceOf(login.group(2), login.group(4))));
                return;
            }
            Matcher kick = KICK.matcher(message);
            if (kick.matches()) {
                Login old = this.open.get(kick.group(1));
                if (old != null) {
                    this.pendingKicks.put(old.clientId(), new PendingKick(number, time, old));
                }
                return;
            }
            Matcher close = CLOSE.matcher(message);
            if (close.find()) {
                for (int group = 1; group <= close.groupCount(); group++) {
                    if (close.group(group) != null) {
                        this.open.remove(close.group(group));
                    }
                }
            }
        }

        void finish() {
            // a kick whose login line is not written yet: the old connection is closed all the same
            this.pendingKicks.values().forEach((pending) -> closeByKick(pending, false));
            this.pendingKicks.clear();
        }

        private void login(Login login) {
            PendingKick pending = this.pendingKicks.remove(login.clientId());
            if (login.device() != null) {
                List<String> others = this.open.values()
                    .stream()
                    .filter((other) -> login.device().equals(other.device()))
                    .map(Login::clientId)
                    .toList();
                if (!others.isEmpty()) {
                    this.doubleLogins
                        .add(new DoubleLogin(login.line(), login.time(), login.device(), login.clientId(), others));
                }
                this.logins.add(login);
            }
            if (pending != null) {
                closeByKick(pending, login.device() != null);
            }
            this.open.put(login.clientId(), login);
        }

        private void closeByKick(PendingKick pending, boolean byDevice) {
            this.open.remove(pending.old().clientId());
            if (pending.old().device() != null) {
                this.kicks.add(new Kick(pending.line(), pending.time(), pending.old().device(),
                        pending.old().clientId(), byDevice));
            }
        }

        private static @Nullable LocalDateTime parseTime(String text) {
            try {
                return LocalDateTime.parse(text);
            }
            catch (DateTimeParseException ex) {
                return null;
            }
        }

    }

    private record PendingKick(int line, @Nullable LocalDateTime time, Login old) {
    }

}
