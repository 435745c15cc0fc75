package io.kube4j.apiserver.admission.policy;

/** Each policy compiled once per uid and resourceVersion. */
final class PolicyCache extends RevisionCache<CompiledPolicy> {

    PolicyCache() {
        super(PolicyCompiler::compile);
    }
}
