package io.kube4j.apiserver.admission;

/** The admission operations, as admission.k8s.io names them. */
public enum Operation { CREATE, UPDATE, DELETE, CONNECT }
