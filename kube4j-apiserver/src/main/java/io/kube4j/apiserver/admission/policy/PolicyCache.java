package io.kube4j.apiserver.admission.policy;

import io.kube4j.apiserver.admission.cel.RevisionCache;

/** Each policy compiled once per uid and resourceVersion. */
final class PolicyCache extends RevisionCache<CompiledPolicy> {

    PolicyCache() {
        super(PolicyCompiler::compile);
    }
}
