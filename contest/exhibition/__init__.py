"""The exhibition kit: QR codes and the printable A4 labels."""
