import type { EngineFeature } from '../../service';
import { campaignResultsJob } from './jobs';

/** Campaign tests in the org: the "Campaign Results" job; the CLI is `asl campaign`. */
export function campaignsFeature(): EngineFeature {
  return { name: 'campaigns', jobs: (client) => ({ 'Campaign Results': campaignResultsJob(client) }) };
}

export { allocateCampaign, campaignResults, listQualityReport, roiReport, readCampaignTest, CampaignSetupError, type AllocationRun } from './runs';
export { campaignResultsJob } from './jobs';
