package io.mirrorhost.api;

import java.util.List;
import java.util.Optional;

/** The host instances of this site as this instance sees them now; read when reporting, never cached. */
public interface Site {

    /** This instance's name ({@code site-a-2}). */
    String instanceName();

    /** The instance leading the site, if one is known. */
    Optional<String> leaderName();

    /** The live instances, oldest first (this one included). */
    List<String> instanceNames();
}
