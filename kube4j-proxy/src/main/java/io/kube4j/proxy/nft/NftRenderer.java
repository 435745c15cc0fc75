package io.kube4j.proxy.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Writes rulesets as {@code nft -f} transactions: a full replacement or the difference to a previous one. */
public final class NftRenderer {

    private final String table;
    private final String serviceCidr;

    public NftRenderer(String table, String serviceCidr) {
        this.table = table;
        this.serviceCidr = serviceCidr;
    }

    /**
     * A transaction that replaces the whole table. The leading {@code add}/{@code delete} pair makes the
     * delete succeed whether or not the table exists; nft applies the file atomically.
     */
    public String full(Ruleset rs) {
        StringBuilder out = new StringBuilder();
        out.append("add table ip ").append(table).append('\n');
        out.append("delete table ip ").append(table).append('\n');
        out.append("table ip ").append(table).append(" {\n").append(TableSkeleton.body(serviceCidr)).append("}\n");
        for (var set : rs.affinitySets().entrySet()) {
            addAffinitySet(out, set.getKey(), set.getValue());
        }
        rs.maps().forEach((name, declaration) -> addMap(out, name, declaration));
        for (String chain : rs.chains().keySet()) {
            out.append("add chain ip ").append(table).append(' ').append(chain).append('\n');
        }
        for (var chain : rs.chains().entrySet()) {
            addRules(out, chain.getKey(), chain.getValue());
        }
        for (var set : rs.allElements().entrySet()) {
            addElements(out, set.getKey(), set.getValue());
        }
        return out.toString();
    }

    /**
     * The transaction that turns {@code before} into {@code after}, touching only changed chains, sets and
     * elements; empty when nothing changed. Order matters inside the transaction: a chain must exist before
     * anything jumps to it, and nothing may still point to a chain when it is deleted.
     */
    public String incremental(Ruleset before, Ruleset after) {
        StringBuilder out = new StringBuilder();
        for (var set : after.affinitySets().entrySet()) {
            if (!Objects.equals(before.affinitySets().get(set.getKey()), set.getValue())) {
                if (before.affinitySets().containsKey(set.getKey())) {
                    out.append("delete set ip ").append(table).append(' ').append(set.getKey()).append('\n');
                }
                addAffinitySet(out, set.getKey(), set.getValue());
            }
        }
        // named maps before any rule that references them; a name always comes with the same declaration
        after.maps().forEach((name, declaration) -> {
            if (!before.maps().containsKey(name)) {
                addMap(out, name, declaration);
            }
        });
        List<String> changed = new ArrayList<>();
        for (var chain : after.chains().entrySet()) {
            List<String> old = before.chains().get(chain.getKey());
            if (old == null) {
                out.append("add chain ip ").append(table).append(' ').append(chain.getKey()).append('\n');
                changed.add(chain.getKey());
            } else if (!old.equals(chain.getValue())) {
                changed.add(chain.getKey());
            }
        }
        for (var set : before.allElements().entrySet()) {
            if (before.maps().containsKey(set.getKey()) && !after.maps().containsKey(set.getKey())) {
                continue; // the whole map goes at the end
            }
            Map<String, String> next = after.elements(set.getKey());
            List<String> stale = set.getValue().entrySet().stream()
                    .filter(e -> !Objects.equals(next.get(e.getKey()), e.getValue()))
                    .map(Map.Entry::getKey).toList();
            if (!stale.isEmpty()) {
                out.append("delete element ip ").append(table).append(' ').append(set.getKey()).append(" { ")
                        .append(String.join(", ", stale)).append(" }\n");
            }
        }
        for (String name : changed) {
            if (before.chains().containsKey(name)) {
                out.append("flush chain ip ").append(table).append(' ').append(name).append('\n');
            }
            addRules(out, name, after.chains().get(name));
        }
        for (var set : after.allElements().entrySet()) {
            Map<String, String> old = before.elements(set.getKey());
            Map<String, String> fresh = new java.util.TreeMap<>();
            set.getValue().forEach((k, v) -> {
                if (!Objects.equals(old.get(k), v)) {
                    fresh.put(k, v);
                }
            });
            addElements(out, set.getKey(), fresh);
        }
        List<String> removed = before.chains().keySet().stream().filter(c -> !after.chains().containsKey(c)).toList();
        // flush first: a removed service chain may still jump to a removed endpoint chain
        for (String name : removed) {
            out.append("flush chain ip ").append(table).append(' ').append(name).append('\n');
        }
        for (String name : removed) {
            out.append("delete chain ip ").append(table).append(' ').append(name).append('\n');
        }
        // last: the rules that referenced these maps were flushed or deleted above
        for (String map : before.maps().keySet()) {
            if (!after.maps().containsKey(map)) {
                out.append("delete map ip ").append(table).append(' ').append(map).append('\n');
            }
        }
        for (String set : before.affinitySets().keySet()) {
            if (!after.affinitySets().containsKey(set)) {
                out.append("delete set ip ").append(table).append(' ').append(set).append('\n');
            }
        }
        return out.toString();
    }

    private void addAffinitySet(StringBuilder out, String name, int timeoutSeconds) {
        out.append("add set ip ").append(table).append(' ').append(name)
                .append(" { type ipv4_addr; flags dynamic,timeout; timeout ").append(timeoutSeconds).append("s; }\n");
    }

    private void addMap(StringBuilder out, String name, String declaration) {
        out.append("add map ip ").append(table).append(' ').append(name).append(" { ").append(declaration).append("; }\n");
    }

    private void addRules(StringBuilder out, String chain, List<String> rules) {
        for (String rule : rules) {
            out.append("add rule ip ").append(table).append(' ').append(chain).append(' ').append(rule).append('\n');
        }
    }

    private void addElements(StringBuilder out, String set, Map<String, String> elements) {
        if (elements.isEmpty()) {
            return;
        }
        List<String> items = new ArrayList<>();
        elements.forEach((k, v) -> items.add(v.isEmpty() ? k : k + " : " + v));
        out.append("add element ip ").append(table).append(' ').append(set).append(" { ")
                .append(String.join(", ", items)).append(" }\n");
    }
}
