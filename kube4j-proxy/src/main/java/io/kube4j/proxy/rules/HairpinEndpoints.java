package io.kube4j.proxy.rules;

import io.kube4j.proxy.model.Endpoint;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.nft.Ruleset;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.kube4j.proxy.nft.TableSkeleton.HAIRPIN_ENDPOINTS;

/**
 * The hairpin set's content: every endpoint address of every Service port, counted, because two Services may share
 * an endpoint and one dropping it must not remove it for the other. Counting lets a change to a few Services update
 * the set by the addresses those Services touched, instead of rebuilding and diffing the set over all endpoints.
 */
public final class HairpinEndpoints {

    /** A change limited to the touched addresses: what the set held for them before, and holds now. */
    public record Change(Ruleset before, Ruleset after) {
    }

    private final Map<String, Integer> refs = new HashMap<>();

    /** Forgets every address (before recounting for a full sync). */
    public void clear() {
        refs.clear();
    }

    /** Replaces the endpoints of {@code removed} (ports counted earlier) with those of {@code added}. */
    public Change update(Collection<ServicePortInfo> removed, Collection<ServicePortInfo> added) {
        Set<String> touched = new TreeSet<>();
        addresses(removed, touched);
        addresses(added, touched);
        Ruleset before = subset(touched);
        count(removed, -1);
        count(added, 1);
        return new Change(before, subset(touched));
    }

    /** The whole set, for a full sync. */
    public Ruleset ruleset() {
        return subset(refs.keySet());
    }

    private Ruleset subset(Collection<String> addresses) {
        Ruleset rs = new Ruleset();
        for (String ip : addresses) {
            if (refs.containsKey(ip)) {
                rs.addElement(HAIRPIN_ENDPOINTS, ip + " . " + ip, null);
            }
        }
        return rs;
    }

    private void count(Collection<ServicePortInfo> ports, int delta) {
        for (ServicePortInfo port : ports) {
            for (Endpoint e : port.endpoints()) {
                refs.merge(e.ip(), delta, (a, b) -> a + b == 0 ? null : a + b);
            }
        }
    }

    private static void addresses(Collection<ServicePortInfo> ports, Set<String> into) {
        for (ServicePortInfo port : ports) {
            for (Endpoint e : port.endpoints()) {
                into.add(e.ip());
            }
        }
    }

    /** The hairpin set over {@code ports}, counted from nothing. */
    public static Ruleset of(List<ServicePortInfo> ports) {
        HairpinEndpoints all = new HairpinEndpoints();
        all.update(List.of(), ports);
        return all.ruleset();
    }
}
