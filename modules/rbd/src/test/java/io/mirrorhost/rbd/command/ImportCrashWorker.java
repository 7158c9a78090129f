package io.mirrorhost.rbd.command;

import io.mirrorhost.api.cluster.ImageSpec;
import io.mirrorhost.rbd.testing.Await;
import io.mirrorhost.rbd.testing.RbdModuleFixture;
import java.nio.file.Path;

/**
 * The child of {@link ImportCrashTest}: the rbd module on the store in {@code args[0]} imports
 * {@code args[1]} into {@code data/imported}, says CREATED once the image exists, and is killed.
 */
public final class ImportCrashWorker {
    private ImportCrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        RbdModuleFixture rbd = new RbdModuleFixture(Path.of(args[0]));
        Thread importing = new Thread(() -> rbd.rbd("import").arg("path-name", args[1])
                .arg("dest-image-spec", "data/imported").flag("no-progress").run());
        importing.start();
        while (!Await.result(rbd.cluster.listImages(ImageSpec.of("data", "", "x").poolNamespace())).stream()
                .anyMatch(e -> e.name().equals("imported"))) {
            Thread.onSpinWait();
        }
        System.out.println("CREATED");
        System.out.flush();
        importing.join();
        System.out.println("DONE");
    }
}
