package io.mfagov.graphsim.internal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * The simulator's self-signed TLS certificate (SAN ip:127.0.0.1, dns:localhost), generated with BouncyCastle and
 * written as PKCS12: {@code graph-simulator-keystore.p12} (server key) and {@code graph-simulator-truststore.p12}
 * (the certificate only, for clients). Reused from the data directory when present and valid.
 */
public final class TlsMaterial {
    /** Simulator-only password of both PKCS12 files (they protect nothing of value). */
    public static final String PASSWORD = "graph-simulator";
    private static final String ALIAS = "graph-simulator";

    private final byte[] keyStore;
    private final Path keyStorePath;
    private final Path trustStorePath;

    private TlsMaterial(byte[] keyStore, Path keyStorePath, Path trustStorePath) {
        this.keyStore = keyStore;
        this.keyStorePath = keyStorePath;
        this.trustStorePath = trustStorePath;
    }

    public static TlsMaterial createOrReuse(Path dir) {
        try {
            Files.createDirectories(dir);
            Path ks = dir.resolve("graph-simulator-keystore.p12");
            Path ts = dir.resolve("graph-simulator-truststore.p12");
            if (Files.exists(ks) && Files.exists(ts)) {
                byte[] bytes = Files.readAllBytes(ks);
                if (stillValid(bytes)) {
                    return new TlsMaterial(bytes, ks, ts);
                }
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=graph-simulator, O=mfagov (simulator only)");
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(3650, ChronoUnit.DAYS)), name, kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")}));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);

            KeyStore server = KeyStore.getInstance("PKCS12");
            server.load(null, null);
            server.setKeyEntry(ALIAS, kp.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {cert});
            byte[] serverBytes = store(server);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, cert);
            Files.write(ts, store(trust));
            Files.write(ks, serverBytes);
            return new TlsMaterial(serverBytes, ks, ts);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the simulator's TLS certificate in " + dir, e);
        }
    }

    private static boolean stillValid(byte[] bytes) {
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            KeyStore k = KeyStore.getInstance("PKCS12");
            k.load(in, PASSWORD.toCharArray());
            X509Certificate c = (X509Certificate) k.getCertificate(ALIAS);
            c.checkValidity(Date.from(Instant.now().plus(1, ChronoUnit.DAYS)));
            return k.isKeyEntry(ALIAS);
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] store(KeyStore k) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        k.store(out, PASSWORD.toCharArray());
        return out.toByteArray();
    }

    public byte[] keyStore() {
        return keyStore;
    }

    public Path keyStorePath() {
        return keyStorePath;
    }

    public Path trustStorePath() {
        return trustStorePath;
    }

}
