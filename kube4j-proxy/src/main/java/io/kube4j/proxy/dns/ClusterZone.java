package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Answers questions about the cluster zone from the API objects, following the Kubernetes DNS
 * specification as CoreDNS's kubernetes plugin implements it (in "pods verified" mode).
 */
public final class ClusterZone {

    private static final long SOA_SERIAL = 1;

    private final ClusterView view;
    private final String zone;
    private final Name zoneName;
    private final int ttl;

    public ClusterZone(ClusterView view, String clusterDomain, int ttlSeconds) {
        this.view = view;
        this.zone = clusterDomain;
        this.zoneName = absolute(clusterDomain);
        this.ttl = ttlSeconds;
    }

    /**
     * The response to {@code query} when the cluster answers it; empty when the name lies outside the cluster
     * zone (or is a reverse name the cluster does not know) and must be forwarded.
     */
    public Optional<Message> answer(Message query) {
        Record question = query.getQuestion();
        if (question == null) {
            return Optional.empty();
        }
        String qname = question.getName().toString(true).toLowerCase(Locale.ROOT);
        int type = question.getType();
        if (qname.endsWith(".in-addr.arpa")) {
            return reverse(query, qname, type);
        }
        if (!qname.equals(zone) && !qname.endsWith("." + zone)) {
            return Optional.empty();
        }
        Message response = reply(query);
        List<String> labels = qname.equals(zone) ? List.of()
                : Arrays.asList(qname.substring(0, qname.length() - zone.length() - 1).split("\\."));
        Lookup lookup = new Lookup(question.getName(), type, response);
        resolve(labels, lookup);
        if (response.getSectionArray(Section.ANSWER).length == 0) {
            response.addRecord(soa(), Section.AUTHORITY);
        }
        return Optional.of(response);
    }

    private void resolve(List<String> labels, Lookup lookup) {
        int n = labels.size();
        if (n == 0) {
            if (lookup.type == Type.SOA) {
                lookup.answer(soa());
            } else if (lookup.type == Type.NS) {
                lookup.answer(new NSRecord(zoneName, DClass.IN, ttl, nsName()));
            }
            return;
        }
        String kind = labels.get(n - 1);
        if (kind.equals("svc")) {
            resolveService(labels.subList(0, n - 1), lookup);
        } else if (kind.equals("pod")) {
            resolvePod(labels.subList(0, n - 1), lookup);
        } else {
            lookup.nxdomain();
        }
    }

    private void resolveService(List<String> labels, Lookup lookup) {
        int n = labels.size();
        if (n == 0) {
            return; // svc.<zone> exists, it has no records
        }
        String ns = labels.get(n - 1);
        if (n == 1) {
            if (!view.hasServices(ns)) {
                lookup.nxdomain();
            }
            return;
        }
        Optional<Service> found = view.service(ns, labels.get(n - 2));
        if (found.isEmpty() || n > 5) {
            lookup.nxdomain();
            return;
        }
        Service svc = found.get();
        if (n == 2) {
            serviceRecords(svc, lookup);
        } else if (n == 3) {
            endpointRecord(svc, labels.get(0), lookup);
        } else if (n == 4 && labels.get(0).startsWith("_") && labels.get(1).startsWith("_")) {
            srvRecords(svc, labels.get(0).substring(1), labels.get(1).substring(1), lookup);
        } else {
            lookup.nxdomain();
        }
    }

    private void serviceRecords(Service svc, Lookup lookup) {
        var spec = svc.getSpec();
        if ("ExternalName".equals(spec.getType()) && spec.getExternalName() != null) {
            lookup.answer(new CNAMERecord(lookup.name, DClass.IN, ttl, absolute(spec.getExternalName())));
            return;
        }
        if (lookup.type == Type.SRV) {
            srvRecords(svc, null, null, lookup);
            return;
        }
        if (lookup.type != Type.A && lookup.type != Type.ANY) {
            return;
        }
        if (isHeadless(svc)) {
            for (EndpointAddress ep : endpoints(svc).values()) {
                lookup.answer(a(lookup.name, ep.ip));
            }
        } else {
            lookup.answer(a(lookup.name, spec.getClusterIP()));
        }
    }

    private void endpointRecord(Service svc, String label, Lookup lookup) {
        EndpointAddress ep = endpoints(svc).get(label);
        if (ep == null) {
            lookup.nxdomain();
        } else if (lookup.type == Type.A || lookup.type == Type.ANY) {
            lookup.answer(a(lookup.name, ep.ip));
        }
    }

    /** SRV records of named ports; {@code port} and {@code proto} null: every named port. */
    private void srvRecords(Service svc, String port, String proto, Lookup lookup) {
        String ns = svc.getMetadata().getNamespace();
        Name serviceName = absolute(svc.getMetadata().getName() + "." + ns + ".svc." + zone);
        List<Record> srvs = new ArrayList<>();
        List<Record> extra = new ArrayList<>();
        if (isHeadless(svc)) {
            for (EndpointAddress ep : endpoints(svc).values()) {
                for (EndpointPort p : ep.ports) {
                    if (p.getName() == null || p.getName().isEmpty() || p.getPort() == null || !matches(p.getName(),
                            p.getProtocol(), port, proto)) {
                        continue;
                    }
                    Name target = absolute(ep.label + "." + svc.getMetadata().getName() + "." + ns + ".svc." + zone);
                    srvs.add(srv(lookup.name, p.getPort(), target, 0));
                    extra.add(a(target, ep.ip));
                }
            }
        } else if (svc.getSpec().getPorts() != null) {
            for (ServicePort p : svc.getSpec().getPorts()) {
                if (p.getName() == null || p.getName().isEmpty() || !matches(p.getName(), p.getProtocol(), port, proto)) {
                    continue;
                }
                srvs.add(srv(lookup.name, p.getPort(), serviceName, 0));
            }
            if (!srvs.isEmpty()) {
                extra.add(a(serviceName, svc.getSpec().getClusterIP()));
            }
        }
        if (srvs.isEmpty()) {
            if (port != null) {
                lookup.nxdomain();
            }
            return;
        }
        if (lookup.type != Type.SRV && lookup.type != Type.ANY) {
            return;
        }
        int weight = Math.max(1, 100 / srvs.size());
        for (Record r : srvs) {
            SRVRecord s = (SRVRecord) r;
            lookup.answer(new SRVRecord(s.getName(), DClass.IN, ttl, 0, weight, s.getPort(), s.getTarget()));
        }
        extra.stream().distinct().forEach(lookup::additional);
    }

    private static boolean matches(String name, String protocol, String port, String proto) {
        String p = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        return (port == null || port.equals(name.toLowerCase(Locale.ROOT))) && (proto == null || proto.equals(p));
    }

    private void resolvePod(List<String> labels, Lookup lookup) {
        if (labels.size() != 2) {
            if (labels.size() > 2 || labels.isEmpty()) {
                lookup.nxdomain();
            }
            return;
        }
        String ip = labels.get(0).replace('-', '.');
        if (!ip.matches("\\d{1,3}(\\.\\d{1,3}){3}") || !view.podHasIp(labels.get(1), ip)) {
            lookup.nxdomain();
            return;
        }
        if (lookup.type == Type.A || lookup.type == Type.ANY) {
            lookup.answer(a(lookup.name, ip));
        }
    }

    private Optional<Message> reverse(Message query, String qname, int type) {
        String[] parts = qname.substring(0, qname.length() - ".in-addr.arpa".length()).split("\\.");
        if (parts.length != 4) {
            return Optional.empty();
        }
        String ip = parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0];
        List<Service> services = view.servicesByClusterIp(ip);
        if (services.isEmpty()) {
            return Optional.empty();
        }
        Message response = reply(query);
        if (type == Type.PTR || type == Type.ANY) {
            for (Service s : services) {
                response.addRecord(new PTRRecord(query.getQuestion().getName(), DClass.IN, ttl,
                        absolute(s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc." + zone)),
                        Section.ANSWER);
            }
        }
        return Optional.of(response);
    }

    private static boolean isHeadless(Service svc) {
        String ip = svc.getSpec().getClusterIP();
        return ip == null || ip.isEmpty() || ip.equals("None");
    }

    /** Ready endpoints by their DNS label: the hostname, or the address with dashes. */
    private Map<String, EndpointAddress> endpoints(Service svc) {
        boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        Map<String, EndpointAddress> result = new LinkedHashMap<>();
        for (EndpointSlice slice : view.endpointSlices(svc.getMetadata().getNamespace(), svc.getMetadata().getName())) {
            if (slice.getEndpoints() == null || !"IPv4".equals(slice.getAddressType())) {
                continue;
            }
            List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
            for (var ep : slice.getEndpoints()) {
                var c = ep.getConditions();
                boolean ready = c == null || c.getReady() == null || c.getReady();
                if ((!ready && !publishNotReady) || ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
                    continue;
                }
                String ip = ep.getAddresses().get(0);
                String label = ep.getHostname() != null && !ep.getHostname().isEmpty()
                        ? ep.getHostname().toLowerCase(Locale.ROOT) : ip.replace('.', '-');
                result.putIfAbsent(label, new EndpointAddress(label, ip, ports));
            }
        }
        return result;
    }

    private record EndpointAddress(String label, String ip, List<EndpointPort> ports) {
    }

    private Message reply(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.getHeader().setOpcode(query.getHeader().getOpcode());
        response.addRecord(query.getQuestion(), Section.QUESTION);
        return response;
    }

    private SOARecord soa() {
        return new SOARecord(zoneName, DClass.IN, ttl, nsName(), absolute("hostmaster." + zone), SOA_SERIAL, 7200,
                1800, 86400, ttl);
    }

    private Name nsName() {
        return absolute("ns.dns." + zone);
    }

    private ARecord a(Name name, String ip) {
        try {
            return new ARecord(name, DClass.IN, ttl, InetAddress.getByAddress(parseIpv4(ip)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    private SRVRecord srv(Name name, int port, Name target, int weight) {
        return new SRVRecord(name, DClass.IN, ttl, 0, weight, port, target);
    }

    private static byte[] parseIpv4(String ip) {
        String[] parts = ip.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /** The question being answered and the response being built. */
    private static final class Lookup {
        final Name name;
        final int type;
        final Message response;

        Lookup(Name name, int type, Message response) {
            this.name = name;
            this.type = type;
            this.response = response;
        }

        void answer(Record r) {
            response.addRecord(r, Section.ANSWER);
        }

        void additional(Record r) {
            response.addRecord(r, Section.ADDITIONAL);
        }

        void nxdomain() {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
    }
}
