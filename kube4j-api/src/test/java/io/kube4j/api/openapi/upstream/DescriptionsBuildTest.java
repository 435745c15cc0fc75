package io.kube4j.api.openapi.upstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DescriptionsBuildTest {

    private static final String CORE_V1 = """
            import { ObjectMeta } from "../meta/v1";
            /** Pod is a collection of containers that can run on a host. */
            export interface Pod {
                /** Standard object's metadata. */
                metadata?: ObjectMeta;
                /** Most recently observed status. */
                readonly status?: PodStatus;
            }
            /**
             * Quantity-like text over lines.
             *
             * ``` <quantity> ::= <number>
             *
             * \t(indented) ```
             */
            export interface Odd {
                /** A map: the nested braces are not properties. */
                labels?: {
                    /** not a field of Odd */
                    [name: string]: string;
                };
                undocumented: string;
                /** After the map. */
                "x-quoted"?: boolean;
                /** Dollar. */
                $ref?: string;
            }
            /** Time is a timestamp. */
            export type Time = string;
            """;

    @Test
    void readsDefinitionAndFieldDescriptionsFromDocComments() {
        Map<String, Map<String, String>> docs = TypeScriptDocs.parse(CORE_V1);

        assertThat(docs.get("Pod")).containsExactly(
                Map.entry("", "Pod is a collection of containers that can run on a host."),
                Map.entry("metadata", "Standard object's metadata."),
                Map.entry("status", "Most recently observed status."));
        assertThat(docs.get("Odd").get("")).isEqualTo(
                "Quantity-like text over lines.\n\n``` <quantity> ::= <number>\n\n\t(indented) ```");
        assertThat(docs.get("Odd")).containsEntry("labels", "A map: the nested braces are not properties.")
                .containsEntry("x-quoted", "After the map.").containsEntry("$ref", "Dollar.")
                .doesNotContainKeys("name", "undocumented");
        assertThat(docs.get("Time")).containsExactly(Map.entry("", "Time is a timestamp."));
    }

    @Test
    void filesMapToUpstreamDefinitionNames() {
        assertThat(DescriptionsBuild.definitionPrefix("core/v1")).isEqualTo("io.k8s.api.core.v1.");
        assertThat(DescriptionsBuild.definitionPrefix("autoscaling/v2")).isEqualTo("io.k8s.api.autoscaling.v2.");
        assertThat(DescriptionsBuild.definitionPrefix("meta/v1")).isEqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.");
        assertThat(DescriptionsBuild.definitionPrefix("apiextensions/v1"))
                .isEqualTo("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.");
        assertThat(DescriptionsBuild.definitionPrefix("api/resource"))
                .isEqualTo("io.k8s.apimachinery.pkg.api.resource.");
        assertThat(DescriptionsBuild.definitionPrefix("runtime")).isEqualTo("io.k8s.apimachinery.pkg.runtime.");
        assertThat(DescriptionsBuild.definitionPrefix("index")).isNull();

        Map<String, Map<String, String>> all = DescriptionsBuild.descriptions(Map.of("core/v1.d.ts", CORE_V1,
                "index.d.ts", "/** nothing */\nexport interface Nothing {\n}\n"));
        assertThat(all).containsOnlyKeys("io.k8s.api.core.v1.Pod", "io.k8s.api.core.v1.Odd", "io.k8s.api.core.v1.Time");
    }

    @Test
    void readsTheTarballItChecked(@TempDir Path dir) throws Exception {
        Path content = Files.createDirectories(dir.resolve("src/package/core"));
        Files.writeString(content.resolve("v1.d.ts"), CORE_V1);
        Files.writeString(dir.resolve("src/package/package.json"), "{}");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Process tar = new ProcessBuilder("tar", "czf", cache.resolve("demo-1.0.0.tgz").toString(), "-C",
                dir.resolve("src").toString(), "package").inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        byte[] bytes = Files.readAllBytes(cache.resolve("demo-1.0.0.tgz"));
        String integrity = "sha512-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-512").digest(bytes));

        NpmTarball tarball = new NpmTarball("demo", "1.0.0", integrity);
        assertThat(tarball.cachedIn(cache)).isTrue();
        Map<String, String> files = tarball.files(cache, p -> p.endsWith(".d.ts"));
        assertThat(files).containsOnlyKeys("core/v1.d.ts");
        assertThat(files.get("core/v1.d.ts")).isEqualTo(CORE_V1);
        assertThat(tarball.url().toString()).isEqualTo("https://registry.npmjs.org/demo/-/demo-1.0.0.tgz");
    }

    @Test
    void aDamagedCachedTarballIsDroppedNotUsed(@TempDir Path cache) throws Exception {
        Files.write(cache.resolve("demo-1.0.0.tgz"), "truncated".getBytes(StandardCharsets.UTF_8));
        NpmTarball tarball = new NpmTarball("demo", "1.0.0", "sha512-AAAA");

        assertThat(tarball.cachedIn(cache)).isFalse();
        assertThat(cache.resolve("demo-1.0.0.tgz")).doesNotExist();
    }

    @Test
    void offlineWithoutTheCacheBuildsNothingAndSaysSo(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("out/upstream-descriptions.json.gz");
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.out;
        System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            DescriptionsBuild.main(new String[] {output.toString(), dir.resolve("empty-cache").toString(),
                "offline=true"});
        } finally {
            System.setOut(previous);
        }
        assertThat(output).doesNotExist();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("without upstream's descriptions", "not cached and Maven runs offline");
    }
}
