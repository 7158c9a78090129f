package io.mirrorhost.rbd.command;

import io.mirrorhost.api.Errno;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** The errno a local file operation failed with, as rbd would see it from the system call. */
public final class FileErrors {

    private FileErrors() {
    }

    public static Errno errno(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FileAlreadyExistsException) {
                return Errno.EEXIST;
            }
            if (t instanceof NoSuchFileException) {
                return Errno.ENOENT;
            }
            if (t instanceof AccessDeniedException) {
                return Errno.EACCES;
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("No such file or directory")) {
                return Errno.ENOENT;
            }
            if (message.contains("Permission denied")) {
                return Errno.EACCES;
            }
            if (message.contains("File exists")) {
                return Errno.EEXIST;
            }
        }
        return Errno.EIO;
    }
}
