package io.iotgateway.credential;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DeviceIdTests {

    @Test
    void parseAcceptsThePlatformsNames() {
        assertThat(DeviceId.parse("a61QmwQD5ZF", "mosheep")).isEqualTo(new DeviceId("a61QmwQD5ZF", "mosheep"));
        assertThat(DeviceId.parse("A".repeat(32), "a_b-c@d.e:f")).isNotNull();
    }

    @Test
    void parseStatesBothRulesAndTheLengthsItGotButNeverTheText() {
        assertThatExceptionOfType(InvalidDeviceIdException.class).isThrownBy(() -> DeviceId.parse("pk-dash", "sheep"))
            .withMessage("A product key is 1-32 letters or digits and a device name 4-32 characters of letters, "
                    + "digits and -_@.: (got 7 and 5 characters).")
            .isInstanceOf(IllegalArgumentException.class);
        assertThatExceptionOfType(InvalidDeviceIdException.class).isThrownBy(() -> DeviceId.parse("a61QmwQD5ZF", "x"))
            .withMessageNotContaining("a61QmwQD5ZF")
            .withMessageEndingWith("(got 11 and 1 characters).");
        assertThatExceptionOfType(InvalidDeviceIdException.class).isThrownBy(() -> DeviceId.parse(null, null))
            .withMessageEndingWith("(got 0 and 0 characters).");
    }

    @Test
    void aProductKeyAloneHasItsOwnRule() {
        assertThat(DeviceId.parseProductKey("a61QmwQD5ZF")).isEqualTo("a61QmwQD5ZF");
        assertThatExceptionOfType(InvalidDeviceIdException.class)
            .isThrownBy(() -> DeviceId.parseProductKey("a".repeat(33)))
            .withMessage("productKey must be 1-32 letters or digits.");
    }

    @Test
    void theConstructorKeepsTheSameRules() {
        assertThatExceptionOfType(InvalidDeviceIdException.class).isThrownBy(() -> new DeviceId("a61QmwQD5ZF", "abc"))
            .withMessage("deviceName must be 4-32 characters of letters, digits and -_@.:");
    }
}
