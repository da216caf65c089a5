package dev.keyhole.ftp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccountAuthenticatorTest {

  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 50000);

  private static UserAccount account(String name, PasswordHash hash) {
    return new UserAccount(name, hash, Path.of("/srv/ftp", name), EnumSet.of(Permission.READ));
  }

  @Test
  void plainPasswordsAreCheckedWithoutBlocking() {
    var auth = new AccountAuthenticator(List.of(account("a", PasswordHash.plain("pw"))), Optional.empty());
    assertThat(auth.blocks()).isFalse();
    assertThat(auth.authenticate("a", "pw", FROM).block()).isPresent();
    assertThat(auth.authenticate("a", "wrong", FROM).block()).isEmpty();
    assertThat(auth.authenticate("nobody", "pw", FROM).block()).isEmpty();
  }

  @Test
  void oneBcryptAccountMakesEveryCheckBlocking() {
    // unknown names are checked against a decoy as costly as the costliest hash: bcrypt for all
    var auth = new AccountAuthenticator(List.of(account("a", PasswordHash.plain("pw")),
        account("b", PasswordHash.bcrypt(PasswordHash.hash("pw-b", 4)))), Optional.empty());
    assertThat(auth.blocks()).isTrue();
    assertThat(auth.authenticate("b", "pw-b", FROM).block()).isPresent();
  }

  @Test
  void anotherAuthenticatorBlocksByDefault() {
    Authenticator custom = (name, password, remote) -> reactor.core.publisher.Mono.just(Optional.empty());
    assertThat(custom.blocks()).isTrue();
  }
}
