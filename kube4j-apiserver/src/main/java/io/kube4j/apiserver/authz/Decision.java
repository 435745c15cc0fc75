package io.kube4j.apiserver.authz;

/** An authorizer's answer: allow, deny, or no opinion (let the next authorizer decide), with a reason. */
public record Decision(Verdict verdict, String reason) {

    public enum Verdict { ALLOW, DENY, NO_OPINION }

    public Decision {
        reason = reason == null ? "" : reason;
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

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }
}
