package io.kube4j.runtime.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LayerUnpackerTest {

    @Test
    void whiteoutsBecomeOverlayCharacterDevices(@TempDir Path tmp) throws Exception {
        Path content = Files.createDirectories(tmp.resolve("content/etc"));
        Files.writeString(content.resolve("kept"), "kept");
        Files.writeString(content.resolve(".wh.removed"), "");
        Path layer = tmp.resolve("layer.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", layer.toString(), "-C", tmp.resolve("content").toString(), ".").start();
        assertThat(tar.waitFor()).isZero();

        Path target = tmp.resolve("unpacked");
        LayerUnpacker.unpack(layer, target);

        assertThat(target.resolve("etc/kept")).hasContent("kept");
        assertThat(target.resolve("etc/.wh.removed")).doesNotExist();
        int mode = (Integer) Files.getAttribute(target.resolve("etc/removed"), "unix:mode");
        assertThat(mode & 0170000).as("a character device").isEqualTo(0020000);
        assertThat((Long) Files.getAttribute(target.resolve("etc/removed"), "unix:rdev")).isZero();
        try (var siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".unpack")).toList())
                    .as("no staging directory left").isEqualTo(List.of());
        }
    }
}
