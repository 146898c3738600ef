package io.iotgateway.testsupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MosquittoConfigTests {

    private static final MosquittoConfig CONFIG = MosquittoConfig.empty()
        .withUser("mosheep&a61QmwQD5ZF", "4d3c1f8e2b7a9c0d5e6f1a2b3c4d5e6f7a8b9c0d")
        .withUser("reader", "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        .aclFor("mosheep&a61QmwQD5ZF", "write", "/a61QmwQD5ZF/mosheep/user/#")
        .aclFor("reader", "read", "#")
        .aclFor("mosheep&a61QmwQD5ZF", "read", "/a61QmwQD5ZF/mosheep/user/get");

    @Test
    void aclFileGroupsRulesUnderOneUserLineEach() {
        assertThat(CONFIG.aclFileText()).isEqualTo("""
                user mosheep&a61QmwQD5ZF
                topic write /a61QmwQD5ZF/mosheep/user/#
                topic read /a61QmwQD5ZF/mosheep/user/get

                user reader
                topic read #

                """);
    }

    @Test
    void listenerBindsLoopbackLocallyAndAllInterfacesInContainer() {
        assertThat(CONFIG.mosquittoConf(18830, "127.0.0.1", "/d/passwd", "/d/acl")).contains(
                "\nlistener 18830 127.0.0.1\n", "\nallow_anonymous false\n", "\npassword_file /d/passwd\n",
                "\nacl_file /d/acl\n");
        assertThat(CONFIG.mosquittoConf(1883, null, "/d/passwd", "/d/acl")).contains("\nlistener 1883\n");
    }

    @Test
    void debugLogOnlyWhenAskedFor() {
        assertThat(CONFIG.mosquittoConf(1883, null, "/d/passwd", "/d/acl")).doesNotContain("log_type debug");
        assertThat(CONFIG.withDebugLog().mosquittoConf(1883, null, "/d/passwd", "/d/acl"))
            .contains("\nlog_type debug\n", "\nlog_type information\n");
    }

    @Test
    void usernamesThatWouldBreakThePasswordOrAclFileAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> CONFIG.withUser("a:b", "secret"));
        assertThatIllegalArgumentException().isThrownBy(() -> CONFIG.withUser("a b", "secret"));
        assertThatIllegalArgumentException().isThrownBy(() -> CONFIG.aclFor("reader", "subscribe", "#"));
    }

    @Test
    @EnabledIfMosquittoInstalled
    void passwordFileHoldsOneHashedLinePerUser() {
        assertThat(CONFIG.passwordFileText().lines()).satisfiesExactly(
                (line) -> assertThat(line).startsWith("mosheep&a61QmwQD5ZF:$7$")
                    .doesNotContain("4d3c1f8e2b7a9c0d5e6f1a2b3c4d5e6f7a8b9c0d"),
                (line) -> assertThat(line).startsWith("reader:$7$"));
    }

}
