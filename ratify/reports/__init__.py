"""What ratify tells: status rows, treaty views, published reports and research digests."""
