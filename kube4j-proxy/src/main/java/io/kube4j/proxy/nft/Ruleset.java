package io.kube4j.proxy.nft;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The desired content of the proxy's table besides its fixed skeleton: per-service chains, affinity
 * sets and the elements of the skeleton's sets and verdict maps. Two rulesets are compared to compute an
 * incremental transaction.
 */
public final class Ruleset {

    private final Map<String, List<String>> chains = new LinkedHashMap<>();
    private final Map<String, Integer> affinitySets = new TreeMap<>();
    /** Named data maps: name to declaration (e.g. {@code typeof ... : ...}); their elements are in {@code elements}. */
    private final Map<String, String> maps = new TreeMap<>();
    private final Map<String, Map<String, String>> elements = new TreeMap<>();

    /** Adds a chain; endpoint chains must be added before the chains that jump to them. */
    public void addChain(String name, List<String> rules) {
        if (chains.putIfAbsent(name, List.copyOf(rules)) != null) {
            throw new IllegalStateException("duplicate chain " + name);
        }
    }

    /** Adds a dynamic set of client addresses that expire after {@code timeoutSeconds}. */
    public void addAffinitySet(String name, int timeoutSeconds) {
        affinitySets.put(name, timeoutSeconds);
    }

    /**
     * Adds a named map declared as {@code declaration}. Rules referencing it by name keep their text when only its
     * elements change, so such a change is an element-only nft transaction.
     */
    public void addMap(String name, String declaration) {
        if (maps.putIfAbsent(name, declaration) != null) {
            throw new IllegalStateException("duplicate map " + name);
        }
    }

    /** Adds an element to a set (value null), a verdict map or a named map. */
    public void addElement(String setOrMap, String key, String value) {
        elements.computeIfAbsent(setOrMap, k -> new TreeMap<>()).put(key, value == null ? "" : value);
    }

    public Map<String, List<String>> chains() {
        return Collections.unmodifiableMap(chains);
    }

    public Map<String, Integer> affinitySets() {
        return Collections.unmodifiableMap(affinitySets);
    }

    public Map<String, String> maps() {
        return Collections.unmodifiableMap(maps);
    }

    /** Elements of {@code setOrMap}: key to verdict, the empty string for plain sets. */
    public Map<String, String> elements(String setOrMap) {
        return Collections.unmodifiableMap(elements.getOrDefault(setOrMap, Map.of()));
    }

    public Map<String, Map<String, String>> allElements() {
        return Collections.unmodifiableMap(elements);
    }

    /**
     * One ruleset holding every part: the proxy keeps one part per Service (and one for policies) so that a change
     * recomputes and diffs only its own part, and merges them for a full sync. Parts never share chains.
     */
    public static Ruleset merge(Collection<Ruleset> parts) {
        Ruleset all = new Ruleset();
        for (Ruleset part : parts) {
            part.chains.forEach(all::addChain);
            all.affinitySets.putAll(part.affinitySets);
            part.maps.forEach(all::addMap);
            part.elements.forEach((set, items) -> all.elements.computeIfAbsent(set, k -> new TreeMap<>()).putAll(items));
        }
        return all;
    }

    public int ruleCount() {
        return chains.values().stream().mapToInt(List::size).sum();
    }
}
