package io.kube4j.proxy.conntrack;

import io.kube4j.proxy.model.ServicePortInfo;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes conntrack entries of UDP service traffic whose endpoint has gone, as upstream kube-proxy does after a
 * sync. UDP has no connection to break: without this, a client that keeps sending from the same port (a DNS
 * resolver, say) stays pinned to the old endpoint, or to the "no endpoints" verdict, until its flow times out.
 * The table is only read when the UDP services or their endpoints changed, so TCP-only changes cost nothing.
 */
public final class StaleUdpFlows {

    private final Conntrack conntrack;
    private final String serviceCidr;
    private UdpTargets last;

    public StaleUdpFlows(Conntrack conntrack, String serviceCidr) {
        this.conntrack = conntrack;
        this.serviceCidr = serviceCidr;
    }

    /**
     * Call after the rules for {@code ports} are in the kernel (so no new flow can go to an old endpoint).
     * Always looks at the table on the first call (flows may be left from before a restart).
     *
     * @return the number of flow groups deleted
     */
    public synchronized int clean(List<ServicePortInfo> ports) throws Conntrack.ConntrackException {
        UdpTargets now = UdpTargets.of(ports);
        if (now.equals(last)) {
            return 0;
        }
        Set<String> done = new HashSet<>();
        int deleted = 0;
        for (UdpFlow flow : now.stale(conntrack.udpFlows(), serviceCidr)) {
            // one delete covers every client of the same service address, port and endpoint
            if (done.add(flow.origDst() + ":" + flow.origDstPort() + ">" + flow.replySrc())) {
                conntrack.delete(flow.origDst(), flow.origDstPort(), flow.replySrc());
                deleted++;
            }
        }
        last = now;
        return deleted;
    }
}
