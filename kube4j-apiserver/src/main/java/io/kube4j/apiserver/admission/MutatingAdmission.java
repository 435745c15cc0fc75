package io.kube4j.apiserver.admission;

/** An admission plugin that may change the incoming object; throws a StatusException to reject. */
public interface MutatingAdmission {

    String name();

    void admit(AdmissionRequest request);
}
