package io.kube4j.cli;

public final class Kube4j {
    public static void main(String[] args) {
        System.out.println("kube4j");
    }
}
