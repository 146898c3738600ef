package io.iotgateway.testsupport;

import io.iotgateway.GatewayApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts of the whole gateway that are expected to be refused, and what the operator then reads. */
public final class StartupRefusals {

    private StartupRefusals() {
    }

    /** Starts the gateway on a free port with the arguments and closes it again, if it starts. */
    public static void start(String... arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        new SpringApplicationBuilder(GatewayApplication.class).run(all).close();
    }

    /** Boot's failure report with the reason on one line of its own, and no stack trace anywhere. */
    public static void assertRefusedInOneLine(CapturedOutput output, String... reason) {
        assertThat(output).contains("APPLICATION FAILED TO START").doesNotContain("\tat ");
        String description = output.getAll().substring(output.getAll().lastIndexOf("Description:"));
        String line = description.lines().skip(2).findFirst().orElse("");
        assertThat(line).contains(reason);
    }
}
