package io.mirrorhost.api.cluster;

/** An image in a pool's directory: its name and its immutable id ({@code rbd_list2}). */
public record ImageEntry(String name, String id) {
}
