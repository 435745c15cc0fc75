package io.kube4j.api.openapi;

import io.kube4j.api.patch.BuiltinPatchSchema;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import org.junit.jupiter.api.Test;
import java.util.*;

class OpenApiDumpScratch {
    @Test
    void dump() throws Exception {
        long t0 = System.nanoTime();
        ResourceRegistry r = ResourceRegistry.builtin();
        List<Class<?>> cs = new ArrayList<>();
        for (ResourceType t : r.all()) ModelTypes.kindClass(t.group(), t.version(), t.kind()).ifPresent(cs::add);
        long t1 = System.nanoTime();
        SchemaGenerator g = new SchemaGenerator(new PatchExtensions(BuiltinPatchSchema.instance()));
        for (Class<?> c : cs) g.define(c);
        long t2 = System.nanoTime();
        new Documents(r);
        long t3 = System.nanoTime();
        System.out.println("ms load " + (t1 - t0) / 1_000_000 + " define " + (t2 - t1) / 1_000_000 + " docs " + (t3 - t2) / 1_000_000);
    }
}
