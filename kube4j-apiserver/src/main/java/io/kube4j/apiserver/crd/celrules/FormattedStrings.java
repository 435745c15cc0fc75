package io.kube4j.apiserver.crd.celrules;

import dev.cel.common.values.CelByteString;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string of the formats that CEL has a type for, as that type (upstream's value conversion): byte as bytes
 * (base64), duration as a duration (Go's syntax with the OpenAPI days and weeks: {@code 1h30m}, {@code 2d}),
 * date and date-time as timestamps. A string that does not parse stays a string: the schema's format check reports
 * it, and a rule that uses it as the typed value fails to evaluate instead of passing.
 */
final class FormattedStrings {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d*\\.?\\d*)(ns|us|µs|ms|s|m|h|d|w)");
    private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.of("ns", BigDecimal.ONE,
            "us", BigDecimal.valueOf(1_000L), "µs", BigDecimal.valueOf(1_000L), "ms", BigDecimal.valueOf(1_000_000L),
            "s", BigDecimal.valueOf(1_000_000_000L), "m", BigDecimal.valueOf(60_000_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000_000L), "d", BigDecimal.valueOf(86_400_000_000_000L),
            "w", BigDecimal.valueOf(604_800_000_000_000L));

    private FormattedStrings() {
    }

    static Object of(String format, String s) {
        try {
            return switch (format) {
                case "byte" -> CelByteString.of(Base64.getDecoder().decode(s));
                case "date-time" -> OffsetDateTime.parse(s).toInstant();
                case "date" -> LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                case "duration" -> duration(s);
                default -> s;
            };
        } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
            return s;
        }
    }

    private static Object duration(String s) {
        String rest = s;
        boolean negative = rest.startsWith("-");
        if (negative || rest.startsWith("+")) {
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(rest);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < rest.length() && m.find(at) && m.start() == at && !m.group(1).isEmpty()
                && !m.group(1).equals(".")) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(NANOS_PER_UNIT.get(m.group(2))));
            at = m.end();
        }
        if (at == 0 || at != rest.length()) {
            return s;
        }
        Duration d = Duration.ofNanos(nanos.longValueExact());
        return negative ? d.negated() : d;
    }
}
