package io.iotgateway.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfMosquittoInstalled}. */
class MosquittoInstalledCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return MosquittoBroker.isInstalled() ? ConditionEvaluationResult.enabled("mosquitto is installed")
                : ConditionEvaluationResult
                    .disabled("mosquitto or mosquitto_passwd not found on the PATH or in /usr/sbin, /usr/bin "
                            + "(Debian package: mosquitto)");
    }

}
