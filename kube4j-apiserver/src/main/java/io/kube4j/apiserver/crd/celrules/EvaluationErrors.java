package io.kube4j.apiserver.crd.celrules;

import dev.cel.runtime.CelEvaluationException;

import java.util.regex.Pattern;

/**
 * A CEL evaluation error as cel-go words it, which is what upstream shows (CRD rules, admission policies, webhooks'
 * matchConditions): cel-java puts its position in front ({@code evaluation error at <input>:12: }), which cel-go does
 * not, and says {@code key 'x' is not present in map.} where cel-go says {@code no such key: x}.
 */
public final class EvaluationErrors {

    private static final Pattern POSITION = Pattern.compile("^evaluation error at <input>:\\d+: ");
    private static final Pattern MISSING_KEY = Pattern.compile("^key '(.*)' is not present in map\\.$", Pattern.DOTALL);

    private EvaluationErrors() {
    }

    public static String of(CelEvaluationException e) {
        return normalise(String.valueOf(e.getMessage()));
    }

    /** cel-java's evaluation message in cel-go's words. */
    static String normalise(String message) {
        String text = POSITION.matcher(message).replaceFirst("");
        return MISSING_KEY.matcher(text).replaceFirst("no such key: $1");
    }
}
