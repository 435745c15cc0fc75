package io.kube4j.apiserver.admission;

/** An admission plugin that only accepts or rejects (with a StatusException). */
public interface ValidatingAdmission {

    String name();

    void validate(AdmissionRequest request);
}
