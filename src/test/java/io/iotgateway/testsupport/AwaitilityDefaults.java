package io.iotgateway.testsupport;

import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Awaitility fails an await with any exception that escapes any thread while it waits. The keep-alive test runs
 * beside the others (junit-platform.properties), so a thread of one test (say a Paho receiver a test closes) would
 * fail another test's await; each test asserts on its own threads instead. Registered for the whole run in
 * {@code META-INF/services}.
 */
public final class AwaitilityDefaults implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }
}
