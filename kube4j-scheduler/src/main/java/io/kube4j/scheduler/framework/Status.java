package io.kube4j.scheduler.framework;

import java.util.List;

/** Result of a plugin call: a code, human readable reasons and the plugin that failed. */
public final class Status {
    private static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null);
    private static final Status SKIP = new Status(Code.SKIP, List.of(), null);

    private final Code code;
    private final List<String> reasons;
    private final String plugin;

    private Status(Code code, List<String> reasons, String plugin) {
        this.code = code;
        this.reasons = reasons;
        this.plugin = plugin;
    }

    public static Status success() { return SUCCESS; }
    public static Status skip() { return SKIP; }
    public static Status of(Code code, String... reasons) { return new Status(code, List.of(reasons), null); }
    public static Status unschedulable(String... reasons) { return of(Code.UNSCHEDULABLE, reasons); }
    public static Status unresolvable(String... reasons) { return of(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons); }
    public static Status error(String reason) { return of(Code.ERROR, reason); }
    public static Status error(Throwable t) { return of(Code.ERROR, String.valueOf(t.getMessage() == null ? t : t.getMessage())); }

    public Status withPlugin(String name) {
        if (code == Code.SUCCESS || code == Code.SKIP || name.equals(plugin)) return this;
        return new Status(code, reasons, name);
    }

    public Code code() { return code; }
    public List<String> reasons() { return reasons; }
    /** The plugin that returned this status, null when unknown. */
    public String plugin() { return plugin; }
    public boolean isSuccess() { return code == Code.SUCCESS; }
    public boolean isSkip() { return code == Code.SKIP; }
    public boolean isWait() { return code == Code.WAIT; }
    public boolean isRejected() { return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE; }
    public String message() { return String.join(", ", reasons); }

    @Override public String toString() { return code + (reasons.isEmpty() ? "" : ": " + message()) + (plugin == null ? "" : " (" + plugin + ")"); }
}
