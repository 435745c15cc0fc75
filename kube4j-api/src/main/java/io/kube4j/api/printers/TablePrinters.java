package io.kube4j.api.printers;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table printer of each built-in kind, as upstream's {@code pkg/printers/internalversion}. Built-in kinds
 * without an upstream printer get the server's default table (Name, Created At); anything else (custom
 * resources without printer columns) gets the Name, Age table of the CRD handler.
 */
public final class TablePrinters {
    private TablePrinters() {
    }

    private static final Map<String, TablePrinter> BY_KIND = new HashMap<>();

    /** Name and Age: what custom resources print when their CRD declares no printer columns (Age is a "date" column there). */
    public static final TablePrinter DEFAULT = new KindPrinter(List.of(Columns.NAME, new Column("Age", "date", "", Columns.CREATION_DOC, 0)),
            (o, now) -> List.of(Cells.name(o), Cells.age(o, now)));

    /** Name and Created At (RFC 3339 UTC): the server's default table of built-in kinds without a printer. */
    public static final TablePrinter CREATED_AT = new KindPrinter(
            List.of(Columns.NAME, new Column("Created At", "date", "", Columns.CREATION_DOC, 0)),
            (o, now) -> {
                Instant t = HumanDuration.parse(Cells.str(o, "metadata", "creationTimestamp"));
                String created = t == null ? "" : DateTimeFormatter.ISO_INSTANT.format(t.atOffset(ZoneOffset.UTC).withNano(0).toInstant());
                return List.of(Cells.name(o), created);
            });

    static {
        CorePrinters.register(BY_KIND);
        WorkloadPrinters.register(BY_KIND);
        OtherPrinters.register(BY_KIND);
        CsiPrinters.register(BY_KIND);
        FlowControlPrinters.register(BY_KIND);
        AdmissionPolicyPrinters.register(BY_KIND);
        BY_KIND.put("events.k8s.io/Event", BY_KIND.get("/Event"));
        for (String kind : List.of("rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/ClusterRole",
                "apiextensions.k8s.io/CustomResourceDefinition", "/LimitRange")) {
            BY_KIND.put(kind, CREATED_AT);
        }
        BY_KIND.put("apiregistration.k8s.io/APIService", ApiServicePrinter.PRINTER);
    }

    /** The printer of a kind; {@code group} is "" for core. Never null. */
    public static TablePrinter forKind(String group, String kind) {
        return BY_KIND.getOrDefault((group == null ? "" : group) + "/" + kind, DEFAULT);
    }

    /** Whether the kind has a printer of its own (not the default Name, Age table). */
    public static boolean hasPrinter(String group, String kind) {
        return BY_KIND.containsKey((group == null ? "" : group) + "/" + kind);
    }
}
