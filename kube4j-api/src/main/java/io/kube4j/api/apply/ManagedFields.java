package io.kube4j.api.apply;

import io.kube4j.api.status.StatusCause;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reading, writing, ordering and validating {@code metadata.managedFields}. */
public final class ManagedFields {

    public static final String FIELDS_V1 = "FieldsV1";
    static final int MAX_MANAGER_LENGTH = 128;
    static final int MAX_SUBRESOURCE_LENGTH = 256;
    /** 10000-01-01T00:00:00Z: from there on ISO_INSTANT writes more digits and a sign. */
    private static final long LAST_FOUR_DIGIT_YEAR_SECOND = 253402300800L;

    /** Upstream's order: Apply before Update, then by time (seconds, none first), manager, apiVersion, subresource. */
    public static final Comparator<ManagedFieldsEntry> ORDER = Comparator
            .comparing(ManagedFieldsEntry::operation)
            .thenComparingLong(e -> e.time() == null ? 0 : e.time().getEpochSecond())
            .thenComparing(ManagedFieldsEntry::manager)
            .thenComparing(ManagedFieldsEntry::apiVersion)
            .thenComparing(ManagedFieldsEntry::subresource);

    private ManagedFields() {
    }

    /** The entries of an object's {@code metadata.managedFields}; empty when there are none. */
    public static List<ManagedFieldsEntry> of(JsonNode object) {
        return parse(object == null ? null : object.path("metadata").get("managedFields"));
    }

    /**
     * Parses a managedFields array (null or JSON null for none). Only the shape is checked here; see
     * {@link #validate} and {@link #decode} for the content.
     *
     * @throws IllegalArgumentException when it is not an array of entry objects or a time is not RFC 3339
     */
    public static List<ManagedFieldsEntry> parse(JsonNode array) {
        List<ManagedFieldsEntry> out = new ArrayList<>();
        if (array == null || array.isNull() || array.isMissingNode()) {
            return out;
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        for (JsonNode e : array) {
            if (!e.isObject()) {
                throw new IllegalArgumentException("managedFields entries must be objects");
            }
            JsonNode time = e.get("time");
            JsonNode fields = e.get("fieldsV1");
            out.add(new ManagedFieldsEntry(text(e, "manager"), text(e, "operation"), text(e, "apiVersion"),
                    time == null || time.isNull() ? null : parseTime(time.asString()), text(e, "fieldsType"),
                    fields == null || fields.isNull() ? null : fields, text(e, "subresource")));
        }
        return out;
    }

    private static String text(JsonNode e, String name) {
        JsonNode v = e.get(name);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isString()) {
            throw new IllegalArgumentException("managedFields " + name + " must be a string");
        }
        return v.asString();
    }

    /** The entries in upstream's order, as the JSON array stored in the object. */
    public static ArrayNode toJson(List<ManagedFieldsEntry> entries) {
        return toJson(entries, true);
    }

    private static ArrayNode toJson(List<ManagedFieldsEntry> entries, boolean copyFields) {
        List<ManagedFieldsEntry> sorted = new ArrayList<>(entries);
        sorted.sort(ORDER);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ManagedFieldsEntry e : sorted) {
            out.add(e.toJson(copyFields));
        }
        return out;
    }

    /** Sets (or, for no entries, removes) {@code metadata.managedFields} of {@code object}. */
    public static void write(ObjectNode object, List<ManagedFieldsEntry> entries) {
        write(object, entries, true);
    }

    /**
     * {@link #write} for entries the field manager has just encoded: their fieldsV1 nodes are new and owned by no
     * one else, so they are put in the object as they are rather than copied (a copy per entry per write).
     */
    static void writeEncoded(ObjectNode object, List<ManagedFieldsEntry> entries) {
        write(object, entries, false);
    }

    private static void write(ObjectNode object, List<ManagedFieldsEntry> entries, boolean copyFields) {
        JsonNode metadata = object.get("metadata");
        if (entries.isEmpty()) {
            if (metadata instanceof ObjectNode m) {
                m.remove("managedFields");
            }
            return;
        }
        ObjectNode m = metadata instanceof ObjectNode o ? o : object.putObject("metadata");
        m.set("managedFields", toJson(entries, copyFields));
    }

    /** Removes {@code metadata.managedFields} from {@code object}. */
    public static void remove(ObjectNode object) {
        if (object != null && object.get("metadata") instanceof ObjectNode m) {
            m.remove("managedFields");
        }
    }

    /**
     * Whether a client's managedFields asks to clear them: an empty list, or a list of one empty entry (upstream's
     * isResetManagedFields). A missing field or null is not a reset.
     */
    public static boolean isReset(JsonNode managedFields) {
        if (managedFields == null || !managedFields.isArray()) {
            return false;
        }
        if (managedFields.isEmpty()) {
            return true;
        }
        return managedFields.size() == 1 && managedFields.get(0).isObject() && managedFields.get(0).isEmpty();
    }

    /**
     * The field errors of an object's managedFields as upstream's ValidateManagedFields reports them (operation,
     * fieldsType, manager and subresource), with paths under {@code metadata.managedFields}.
     */
    public static List<StatusCause> validate(List<ManagedFieldsEntry> entries) {
        List<StatusCause> causes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ManagedFieldsEntry e = entries.get(i);
            String at = "metadata.managedFields[" + i + "].";
            if (!e.operation().equals(ManagerId.APPLY) && !e.operation().equals(ManagerId.UPDATE)) {
                causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + ManagerId.quote(e.operation())
                        + ": must be `Apply` or `Update`", at + "operation"));
            }
            if (!e.fieldsType().isEmpty() && !e.fieldsType().equals(FIELDS_V1)) {
                causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + ManagerId.quote(e.fieldsType())
                        + ": must be `FieldsV1`", at + "fieldsType"));
            }
            causes.addAll(validateFieldManager(e.manager(), at + "manager"));
            if (e.subresource().length() > MAX_SUBRESOURCE_LENGTH) {
                causes.add(new StatusCause("FieldValueTooLong", "Too long: may not be more than "
                        + MAX_SUBRESOURCE_LENGTH + " bytes", at + "subresource"));
            }
        }
        return causes;
    }

    /** Upstream's ValidateFieldManager: at most 128 characters, all printable. */
    public static List<StatusCause> validateFieldManager(String manager, String field) {
        List<StatusCause> causes = new ArrayList<>();
        if (manager.length() > MAX_MANAGER_LENGTH) {
            causes.add(new StatusCause("FieldValueTooLong", "Too long: may not be more than " + MAX_MANAGER_LENGTH
                    + " bytes", field));
        }
        if (isPrintableAscii(manager)) {
            // nearly every manager name: nothing below can find a fault in it
            return causes;
        }
        int i = 0;
        for (int cp : manager.codePoints().toArray()) {
            if (!isPrint(cp)) {
                causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + ManagerId.quote(manager)
                        + ": invalid character " + String.format("U+%04X", cp) + " (at position " + i + ")", field));
            }
            i += Character.charCount(cp);
        }
        return causes;
    }

    /** Whether every character is printable ASCII (U+0020..U+007E), all of which Go's unicode.IsPrint accepts. */
    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }

    /**
     * The owners and their sets, as the field manager works with them (upstream's decodeManagedFields).
     *
     * @throws ApplyException for an entry upstream refuses to decode
     */
    static ManagedSets decode(List<ManagedFieldsEntry> entries) {
        return decode(entries, true);
    }

    /**
     * {@link #decode(List)}, remembering the FieldsV1 nodes that are their sets' exact encoding so that owners a
     * request leaves alone keep them ({@link ManagedSets#encode}); {@code shared} when those nodes belong to an
     * object the caller keeps (they are then copied if used), false when they are the caller's to give away.
     */
    static ManagedSets decode(List<ManagedFieldsEntry> entries, boolean shared) {
        ManagedSets sets = new ManagedSets();
        for (int i = 0; i < entries.size(); i++) {
            ManagedFieldsEntry e = entries.get(i);
            if (!e.operation().equals(ManagerId.APPLY) && !e.operation().equals(ManagerId.UPDATE)) {
                throw new ApplyException("operation must be `Apply` or `Update`");
            }
            if (e.apiVersion().isEmpty()) {
                throw new ApplyException("apiVersion must not be empty");
            }
            if (e.fieldsType().isEmpty()) {
                throw new ApplyException("missing fieldsType in managed fields entry " + i);
            }
            if (!e.fieldsType().equals(FIELDS_V1)) {
                throw new ApplyException("invalid fieldsType " + ManagerId.quote(e.fieldsType())
                        + " in managed fields entry " + i);
            }
            FieldSet.Read fields;
            try {
                fields = FieldSet.readFieldsV1(e.fieldsV1());
            } catch (RuntimeException ex) {
                throw new ApplyException("error decoding versioned set from managed fields entry " + i + ": "
                        + ex.getMessage());
            }
            ManagerId id = ManagerId.of(e);
            sets.put(id, new ManagedSets.Owned(fields.set(), e.apiVersion(), e.operation().equals(ManagerId.APPLY)));
            sets.readFrom(id, fields.set(), fields.canonical() ? e.fieldsV1() : null, shared);
            if (e.time() != null) {
                sets.times().put(id, e.time());
            } else {
                sets.times().remove(id);
            }
        }
        return sets;
    }

    /** RFC 3339 in UTC with whole seconds, as metav1.Time is written. */
    public static String formatTime(Instant time) {
        long seconds = time.getEpochSecond();
        // the form parseAsWritten reads, built directly: DateTimeFormatter was a visible part of every write
        if (seconds >= 0 && seconds < LAST_FOUR_DIGIT_YEAR_SECOND) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
            char[] out = "0000-00-00T00:00:00Z".toCharArray();
            put(out, 0, 4, t.getYear());
            put(out, 5, 2, t.getMonthValue());
            put(out, 8, 2, t.getDayOfMonth());
            put(out, 11, 2, t.getHour());
            put(out, 14, 2, t.getMinute());
            put(out, 17, 2, t.getSecond());
            return new String(out);
        }
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Writes {@code value} as {@code count} decimal digits at {@code from}, leading zeros included. */
    private static void put(char[] out, int from, int count, int value) {
        for (int i = from + count - 1; i >= from; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    static Instant parseTime(String s) {
        Instant written = parseAsWritten(s);
        if (written != null) {
            return written;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid managedFields time: " + s);
        }
    }

    /**
     * The form {@link #formatTime} writes ({@code 2006-01-02T15:04:05Z}) without the general parser: every create
     * and update reads its managedFields times, and DateTimeFormatter was a measurable part of a create's cost.
     * Null for any other form or an impossible date, which the general parser then accepts or reports.
     */
    private static Instant parseAsWritten(String s) {
        if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
