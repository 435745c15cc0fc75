package io.kube4j.runtime.image;

import java.util.List;

/**
 * One image in the store. Its ID is the config digest (as containerd reports it), so the same
 * content imported or pulled under several names is one image with several tags.
 */
public record ImageRecord(String id, String manifestDigest, List<String> repoTags, List<String> repoDigests,
                          long size, List<String> layerDigests, ImageConfig config) {
}
