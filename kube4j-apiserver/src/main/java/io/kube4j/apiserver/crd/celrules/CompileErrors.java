package io.kube4j.apiserver.crd.celrules;

import dev.cel.common.CelValidationResult;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CEL compile error as cel-go words it, which is what upstream shows (CRD rules, admission policies, webhooks'
 * matchConditions and policy type checking). cel-java reports the same issues at the same places with the same text
 * except in two ways, undone here: it lists the overloads it tried after a missing overload ({@code found no matching
 * overload for '_+_' applied to '(int, string)' (candidates: ...)}), and it reports the grammar's syntax errors
 * without cel-go's {@code Syntax error: } prefix (and without cel-go's rewording of a reserved word used as a field).
 */
public final class CompileErrors {

    /** An issue's first line: {@code ERROR: <source>:<line>:<column>: } and the message. */
    private static final Pattern ISSUE = Pattern.compile("^(ERROR: [^\\n]*?:-?\\d+:-?\\d+: )([^\\n]*)$",
            Pattern.MULTILINE);
    private static final Pattern CANDIDATES = Pattern.compile(" \\(candidates: .*\\)$");
    /** What ANTLR's recognizers report, which cel-go's error listener prefixes. */
    private static final Pattern SYNTAX = Pattern.compile("^(mismatched input |extraneous input |missing |"
            + "no viable alternative at input |token recognition error at: )");
    /** cel-go's parser.reservedIdentifier. */
    private static final Pattern RESERVED = Pattern.compile("no viable alternative at input '.(true|false|null)'");

    private CompileErrors() {
    }

    /** The errors of a compilation that has some, in cel-go's words. */
    public static String of(CelValidationResult result) {
        return normalise(result.getErrorString());
    }

    /** cel-java's error string (every issue with its source snippet) in cel-go's words. */
    public static String normalise(String errors) {
        if (errors == null) {
            return null;
        }
        Matcher issue = ISSUE.matcher(errors);
        StringBuilder out = new StringBuilder();
        while (issue.find()) {
            issue.appendReplacement(out, Matcher.quoteReplacement(issue.group(1) + message(issue.group(2))));
        }
        issue.appendTail(out);
        return out.toString();
    }

    private static String message(String message) {
        if (message.startsWith("found no matching overload for ")) {
            return CANDIDATES.matcher(message).replaceFirst("");
        }
        if (SYNTAX.matcher(message).find()) {
            return "Syntax error: "
                    + RESERVED.matcher(message).replaceAll("mismatched input '$1' expecting IDENTIFIER");
        }
        return message;
    }
}
