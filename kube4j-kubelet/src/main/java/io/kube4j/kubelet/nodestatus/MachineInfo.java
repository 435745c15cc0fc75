package io.kube4j.kubelet.nodestatus;

import io.kube4j.kubelet.cm.MachineMemory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;

/** Facts about this machine for the Node object. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static long memoryBytes() {
        return MachineMemory.totalBytes();
    }

    public static long diskBytes(Path dir) {
        try {
            return Files.getFileStore(existing(dir)).getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    public static long diskAvailableBytes(Path dir) {
        try {
            return Files.getFileStore(existing(dir)).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path existing(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }

    public static String arch() {
        String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    public static String read(String file) {
        // Not Files.readString: /proc files report size 0, so Java 17 reads their first byte alone and then the rest
        // from offset 1, where numeric sysctls (kernel/pid_max) answer EOF - pid_max read as "3" put every node under
        // PIDPressure. One read of a whole buffer gets such a file in one go.
        try (var in = Files.newInputStream(Path.of(file))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    public static String osImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "Linux";
    }

    /** The first non-loopback IPv4 address of an interface that is up; loopback when there is none. */
    public static String internalIp() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual() || nic.getName().startsWith("veth")
                        || nic.getName().startsWith("kube4j") || nic.getName().startsWith("cni") || nic.getName().startsWith("k4j")) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through
        }
        return "127.0.0.1";
    }

    public static long pidMax() {
        try {
            return Long.parseLong(read("/proc/sys/kernel/pid_max"));
        } catch (NumberFormatException e) {
            return 32768;
        }
    }

    public static long processCount() {
        try (var s = Files.list(Path.of("/proc"))) {
            return s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
