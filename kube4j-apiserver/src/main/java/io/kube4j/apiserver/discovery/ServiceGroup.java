package io.kube4j.apiserver.discovery;

import java.util.List;

/**
 * A group with versions that APIServices send to a service and this server does not serve itself. Upstream's
 * aggregator lists every APIService's group/version in discovery, available or not (a version whose service cannot be
 * reached is in the aggregated document without resources, marked stale), so clients learn the group exists and then
 * report it unavailable when its resource list is a 503.
 *
 * @param name     the group
 * @param versions its versions, the preferred (highest versionPriority) first
 */
public record ServiceGroup(String name, List<String> versions) {

    public ServiceGroup {
        versions = List.copyOf(versions);
    }
}
