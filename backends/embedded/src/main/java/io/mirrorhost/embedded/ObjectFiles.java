package io.mirrorhost.embedded;

/** Names of the files that hold the versions of an image's data objects: {@code <objno>.<gen>}. */
final class ObjectFiles {
    private ObjectFiles() {
    }

    static String fileName(long objno, long gen) {
        return objno + "." + gen;
    }

    /** The generation of a file name, or -1 if the name is not an object file's. */
    static long genOf(String fileName) {
        int dot = fileName.indexOf('.');
        if (dot <= 0 || dot != fileName.lastIndexOf('.')) {
            return -1;
        }
        try {
            Long.parseLong(fileName.substring(0, dot));
            return Long.parseLong(fileName.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
