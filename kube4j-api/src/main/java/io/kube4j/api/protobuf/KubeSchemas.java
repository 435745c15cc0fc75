package io.kube4j.api.protobuf;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes message types, loaded once from the descriptor set the build compiles from src/main/proto, and
 * the mapping from an object's apiVersion and kind to its message.
 */
final class KubeSchemas {

    static final String RESOURCE = "kubernetes.desc";
    static final String META_PACKAGE = "k8s.io.apimachinery.pkg.apis.meta.v1";
    private static final String APIEXTENSIONS_PACKAGE = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions";

    private final Map<String, Descriptor> messages = new HashMap<>();
    private final ConcurrentHashMap<Descriptor, MessageLayout> layouts = new ConcurrentHashMap<>();

    private static final class Holder {
        static final KubeSchemas INSTANCE = load();
    }

    static KubeSchemas get() {
        return Holder.INSTANCE;
    }

    private KubeSchemas(Iterable<FileDescriptor> files) {
        for (FileDescriptor file : files) {
            for (Descriptor message : file.getMessageTypes()) {
                messages.put(message.getFullName(), message);
            }
        }
    }

    private static KubeSchemas load() {
        try (InputStream in = KubeSchemas.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("descriptor set " + RESOURCE + " is not on the classpath");
            }
            FileDescriptorSet set = FileDescriptorSet.parseFrom(in);
            Map<String, FileDescriptorProto> protos = new HashMap<>();
            for (FileDescriptorProto proto : set.getFileList()) {
                protos.put(proto.getName(), proto);
            }
            Map<String, FileDescriptor> built = new HashMap<>();
            for (String name : protos.keySet()) {
                build(name, protos, built);
            }
            return new KubeSchemas(built.values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
                                        Map<String, FileDescriptor> built) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            throw new IllegalStateException("descriptor set lacks " + name);
        }
        FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
        for (int i = 0; i < deps.length; i++) {
            deps[i] = build(proto.getDependency(i), protos, built);
        }
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("invalid descriptor " + name, e);
        }
    }

    /** The message of an object, or null when no schema is known for it. */
    Descriptor find(String apiVersion, String kind) {
        if (apiVersion == null || kind == null || kind.isEmpty()) {
            return null;
        }
        Descriptor message = messages.get(packageOf(apiVersion) + "." + kind);
        if (message == null) {
            // Option and status kinds (DeleteOptions, Status, ...) are registered in every group version.
            message = messages.get(META_PACKAGE + "." + kind);
        }
        return message;
    }

    Descriptor message(String fullName) {
        return messages.get(fullName);
    }

    MessageLayout layout(Descriptor type) {
        MessageLayout layout = layouts.get(type);
        if (layout == null) {
            layout = layouts.computeIfAbsent(type, MessageLayout::new);
        }
        return layout;
    }

    /** "apps/v1" -> k8s.io.api.apps.v1, "v1" -> k8s.io.api.core.v1, "rbac.authorization.k8s.io/v1" -> ...rbac.v1. */
    static String packageOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return "k8s.io.api.core." + apiVersion;
        }
        String group = apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        if (group.equals("meta.k8s.io")) {
            return META_PACKAGE.substring(0, META_PACKAGE.length() - "v1".length()) + version;
        }
        if (group.equals("apiextensions.k8s.io")) {
            return APIEXTENSIONS_PACKAGE + "." + version;
        }
        int dot = group.indexOf('.');
        String shortGroup = dot < 0 ? group : group.substring(0, dot);
        return "k8s.io.api." + shortGroup + "." + version;
    }
}
