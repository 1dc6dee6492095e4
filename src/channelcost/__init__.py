"""channelcost: what does it cost a consumer to reach customer service?

The package reads Chinese articles about customer-service contact channels, segments and
tokenizes them with jieba, and (in later modules) turns their claims into a dataset.
"""

__version__ = "0.1.0"
