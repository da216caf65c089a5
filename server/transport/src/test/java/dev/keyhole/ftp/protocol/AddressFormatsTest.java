package dev.keyhole.ftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.AddressFormats.EprtArgument;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AddressFormatsTest {

  @Test
  void hostPortRoundTrips() throws Exception {
    var ip = (Inet4Address) InetAddress.getByName("192.0.2.7");
    String text = AddressFormats.formatHostPort(ip, 50123);
    assertThat(text).isEqualTo("192,0,2,7,195,203");
    assertThat(AddressFormats.parseHostPort(text)).contains(new InetSocketAddress(ip, 50123));
  }

  @Test
  void hostPortIsFoundInAnyReplyForm() {
    assertThat(AddressFormats.parseHostPort("Entering Passive Mode (127,0,0,1,4,1)")).isPresent();
    assertThat(AddressFormats.parseHostPort("Entering Passive Mode 127,0,0,1,4,1")).isPresent();
    assertThat(AddressFormats.parseHostPort("=127,0,0,1,4,1")).get().extracting(InetSocketAddress::getPort).isEqualTo(1025);
  }

  @Test
  void hostPortOutOfRangeIsRefused() {
    assertThat(AddressFormats.parseHostPort("256,0,0,1,4,1")).isEmpty();
    assertThat(AddressFormats.parseHostPort("127,0,0,1,256,1")).isEmpty();
    assertThat(AddressFormats.parseHostPort("127,0,0,1")).isEmpty();
  }

  @Test
  void eprtParsesBothFamiliesAndRefusesOthers() throws Exception {
    assertThat(AddressFormats.parseEprt("|1|132.235.1.2|6275|"))
        .isEqualTo(new EprtArgument.Address(new InetSocketAddress(InetAddress.getByName("132.235.1.2"), 6275)));
    assertThat(AddressFormats.parseEprt("|2|1080::8:800:200C:417A|5282|"))
        .isEqualTo(new EprtArgument.Address(new InetSocketAddress(InetAddress.getByName("1080::8:800:200C:417A"), 5282)));
    assertThat(AddressFormats.parseEprt("!1!10.0.0.1!21!")).isInstanceOf(EprtArgument.Address.class);
    assertThat(AddressFormats.parseEprt("|3|10.0.0.1|21|")).isEqualTo(new EprtArgument.UnsupportedProtocol("3"));
    assertThat(AddressFormats.parseEprt("|1|999.0.0.1|21|")).isInstanceOf(EprtArgument.Malformed.class);
    assertThat(AddressFormats.parseEprt("|1|example.com|21|")).isInstanceOf(EprtArgument.Malformed.class);
    assertThat(AddressFormats.parseEprt("|1|10.0.0.1|70000|")).isInstanceOf(EprtArgument.Malformed.class);
    assertThat(AddressFormats.parseEprt("|1|10.0.0.1|")).isInstanceOf(EprtArgument.Malformed.class);
  }

  @Test
  void epsvReplyRoundTripsWithAnyDelimiter() {
    assertThat(AddressFormats.parseEpsvReply(AddressFormats.formatEpsvReply(6446))).contains(6446);
    assertThat(AddressFormats.parseEpsvReply("Entering Extended Passive Mode (!!!6446!)")).contains(6446);
    assertThat(AddressFormats.parseEpsvReply("Entering Extended Passive Mode (|||x|)")).isEmpty();
    assertThat(AddressFormats.parseEpsvReply("no port here")).isEmpty();
  }

  @Test
  void ipv6AddressesAreWrittenInTheirShortestForm() throws Exception {
    assertThat(AddressFormats.toText(InetAddress.getByName("::1"))).isEqualTo("::1");
    assertThat(AddressFormats.toText(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
    assertThat(AddressFormats.toText(InetAddress.getByName("2001:db8::"))).isEqualTo("2001:db8::");
    assertThat(AddressFormats.toText(InetAddress.getByName("1:2:3:4:5:6:7:8"))).isEqualTo("1:2:3:4:5:6:7:8");
    assertThat(AddressFormats.toText(InetAddress.getByName("::"))).isEqualTo("::");
    assertThat(AddressFormats.toText(InetAddress.getByName("192.0.2.1"))).isEqualTo("192.0.2.1");
    assertThat(AddressFormats.formatEprt(new InetSocketAddress("::1", 5000))).isEqualTo("|2|::1|5000|");
  }
}
