"""Chunfeng (春风): 送温暖 campaign reporting for trade-union federations."""
