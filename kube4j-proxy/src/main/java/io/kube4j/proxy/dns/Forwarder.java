package io.kube4j.proxy.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Sends names outside the cluster zone to the host's resolvers, trying each in turn. */
final class Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final List<InetSocketAddress> upstreams;
    private final Duration timeout;

    Forwarder(List<InetSocketAddress> upstreams, Duration timeout) {
        this.upstreams = List.copyOf(upstreams);
        this.timeout = timeout;
    }

    /** The upstream answer, or SERVFAIL when no upstream answers. */
    Message forward(Message query, boolean tcp) {
        for (InetSocketAddress upstream : upstreams) {
            try {
                SimpleResolver resolver = new SimpleResolver(upstream);
                resolver.setTimeout(timeout);
                resolver.setTCP(tcp);
                Message response = resolver.send(query);
                response.getHeader().setID(query.getHeader().getID());
                return response;
            } catch (IOException e) {
                LOG.debug("upstream {} failed: {}", upstream, e.getMessage());
            }
        }
        Message failure = new Message(query.getHeader().getID());
        failure.getHeader().setFlag(Flags.QR);
        failure.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            failure.getHeader().setFlag(Flags.RD);
        }
        failure.getHeader().setRcode(Rcode.SERVFAIL);
        if (query.getQuestion() != null) {
            failure.addRecord(query.getQuestion(), org.xbill.DNS.Section.QUESTION);
        }
        return failure;
    }
}
