package io.kube4j.apiserver.authz;

/**
 * An authorizer's answer: allow, deny, or no opinion (let the next authorizer decide), with a reason, and the error
 * that kept it from evaluating the request ("" when none) - upstream's {@code (decision, reason, err)}.
 */
public record Decision(Verdict verdict, String reason, String error) {

    public enum Verdict { ALLOW, DENY, NO_OPINION }

    public Decision {
        reason = reason == null ? "" : reason;
        error = error == null ? "" : error;
    }

    public Decision(Verdict verdict, String reason) {
        this(verdict, reason, "");
    }

    public static Decision allow(String reason) {
        return new Decision(Verdict.ALLOW, reason);
    }

    public static Decision deny(String reason) {
        return new Decision(Verdict.DENY, reason);
    }

    public static Decision noOpinion(String reason) {
        return new Decision(Verdict.NO_OPINION, reason);
    }

    /** No opinion because the request could not be evaluated: {@code error} says why. */
    public static Decision failed(String reason, String error) {
        return new Decision(Verdict.NO_OPINION, reason, error);
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }

    /** Whether an evaluation error came with the decision (CEL's {@code authorizer...check().errored()}). */
    public boolean errored() {
        return !error.isEmpty();
    }
}
