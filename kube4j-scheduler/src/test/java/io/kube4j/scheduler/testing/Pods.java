package io.kube4j.scheduler.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kube4j.scheduler.framework.PodInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Test pod builder: {@code Pods.pod("p").cpu("1").build()}; further spec edits through {@link #spec}. */
public final class Pods {
    private final String name;
    private String namespace = "default";
    private final Map<String, Quantity> requests = new LinkedHashMap<>();
    private final Map<String, String> labels = new HashMap<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final List<Container> extraContainers = new ArrayList<>();
    private final List<Container> initContainers = new ArrayList<>();
    private final List<io.fabric8.kubernetes.api.model.ContainerPort> ports = new ArrayList<>();
    private Integer priority;
    private String nodeName;
    private String image = "busybox:1.36";
    private final List<UnaryOperator<PodBuilder>> edits = new ArrayList<>();

    private Pods(String name) { this.name = name; }

    public static Pods pod(String name) { return new Pods(name); }

    public Pods ns(String ns) { namespace = ns; return this; }
    public Pods cpu(String q) { requests.put("cpu", new Quantity(q)); return this; }
    public Pods memory(String q) { requests.put("memory", new Quantity(q)); return this; }
    public Pods request(String res, String q) { requests.put(res, new Quantity(q)); return this; }
    public Pods label(String k, String v) { labels.put(k, v); return this; }
    public Pods priority(int p) { priority = p; return this; }
    public Pods nodeName(String n) { nodeName = n; return this; }
    public Pods image(String i) { image = i; return this; }
    public Pods tolerate(String key, String op, String value, String effect) { tolerations.add(new Toleration(effect, key, op, null, value)); return this; }
    public Pods hostPort(int port, String protocol, String ip) {
        ports.add(new ContainerPortBuilder().withContainerPort(port).withHostPort(port).withProtocol(protocol).withHostIP(ip).build());
        return this;
    }
    public Pods container(Container c) { extraContainers.add(c); return this; }
    public Pods initContainer(Container c) { initContainers.add(c); return this; }
    public Pods edit(UnaryOperator<PodBuilder> e) { edits.add(e); return this; }

    public static Container containerWith(String name, String cpu, String memory) {
        Map<String, Quantity> r = new LinkedHashMap<>();
        if (cpu != null) r.put("cpu", new Quantity(cpu));
        if (memory != null) r.put("memory", new Quantity(memory));
        return new ContainerBuilder().withName(name).withImage("busybox").withNewResources().withRequests(r).endResources().build();
    }

    public Pod build() {
        List<Container> containers = new ArrayList<>();
        containers.add(new ContainerBuilder().withName("main").withImage(image)
                .withNewResources().withRequests(requests).endResources().withPorts(ports).build());
        containers.addAll(extraContainers);
        PodBuilder b = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withUid("uid-" + namespace + "-" + name).withLabels(labels)
                .withCreationTimestamp("2024-01-01T00:00:00Z").endMetadata()
                .withNewSpec().withContainers(containers).withInitContainers(initContainers).withTolerations(tolerations)
                .withPriority(priority).withNodeName(nodeName).withSchedulerName("default-scheduler").endSpec();
        for (UnaryOperator<PodBuilder> e : edits) b = e.apply(b);
        return b.build();
    }

    public PodInfo info() { return new PodInfo(build()); }
}
