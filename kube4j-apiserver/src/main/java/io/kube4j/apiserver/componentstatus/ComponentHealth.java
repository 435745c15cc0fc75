package io.kube4j.apiserver.componentstatus;

/**
 * One health check's outcome, as upstream's probe result: {@code status} True, False or Unknown (the Healthy
 * condition's status), {@code message} what the component answered, {@code error} why the check failed.
 */
public record ComponentHealth(String status, String message, String error) {

    public static ComponentHealth healthy() {
        return new ComponentHealth("True", "ok", "");
    }

    public static ComponentHealth unhealthy(String error) {
        return new ComponentHealth("False", "", error);
    }

    public static ComponentHealth unknown(String error) {
        return new ComponentHealth("Unknown", "", error);
    }
}
